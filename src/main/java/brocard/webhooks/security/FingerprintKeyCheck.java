package brocard.webhooks.security;

import brocard.webhooks.db.Jdbc;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Refuses to start when the body-fingerprint key differs from the one the stored fingerprints were made with. A changed
 * key would not lose data, but every replay of a stored webhook would then count as a conflicting body instead of a
 * duplicate: a silent change of behaviour that a key rotation must never cause. Compares a check value (an HMAC of a
 * fixed label under the key), which reveals nothing about the key.
 */
@ApplicationScoped
public class FingerprintKeyCheck {

    private static final String PURPOSE = "body-fingerprint";

    private final Jdbc jdbc;
    private final Keyring keyring;

    public FingerprintKeyCheck(Jdbc jdbc, Keyring keyring) {
        this.jdbc = jdbc;
        this.keyring = keyring;
    }

    void onStart(@Observes StartupEvent startup) {
        byte[] mine = checkValue(keyring.fingerprintKey());
        jdbc.update(
                "insert into key_check (purpose, check_value, created_at) values (?, ?, now()) "
                        + "on conflict (purpose) do nothing",
                PURPOSE,
                mine);
        List<byte[]> stored =
                jdbc.query("select check_value from key_check where purpose = ?", row -> row.getBytes(1), PURPOSE);
        if (!Arrays.equals(mine, stored.get(0))) {
            throw new IllegalStateException("The body-fingerprint key (from " + keyring.fingerprintSource()
                    + ") is not the one the stored fingerprints were made with: replays would count as conflicts. "
                    + "Keep the key the fingerprints come from in the ring (brocard.fingerprint-kid) or set "
                    + "BROCARD_FINGERPRINT_KEY; see docs/operations.md, \"Rotating the encryption key\"");
        }
    }

    static byte[] checkValue(byte[] fingerprintKey) {
        return Arrays.copyOf(
                Hkdf.hmac(
                        fingerprintKey, "brocard-webhooks/key-check/body-fingerprint".getBytes(StandardCharsets.UTF_8)),
                16);
    }
}
