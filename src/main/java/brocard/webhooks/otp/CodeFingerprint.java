package brocard.webhooks.otp;

import brocard.webhooks.security.Keyring;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Tells one 3DS code of a code id from another without keeping the code: HMAC-SHA256 over
 * {@code brocard.otp/code/v1/<otp id>/<code>} under the body-fingerprint key. Keyed, because a six-digit code hashed
 * plainly is found by trying a million; bound to the code id, so equal codes of different ids do not look alike;
 * under the fingerprint key (not a purpose key of the current master key), because stored fingerprints are compared
 * across key rotations. The prefix keeps these apart from body fingerprints, which are MACs of JSON objects ({@code {…}}).
 *
 * <p>The ingest side uses it to tell a re-issued code (new fingerprint) from a replay (same fingerprint); the relay
 * to key its (code, route) claims, so a re-issued code is a new delivery and the same code never is.
 */
@ApplicationScoped
public class CodeFingerprint {

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(this::newMac);

    public CodeFingerprint(Keyring keyring) {
        this.key = new SecretKeySpec(keyring.fingerprintKey(), "HmacSHA256");
    }

    /** @return the fingerprint, or null if there is no code (a purged event) */
    public byte[] of(long otpId, String code) {
        if (code == null) {
            return null;
        }
        return mac.get().doFinal(("brocard.otp/code/v1/" + otpId + "/" + code).getBytes(StandardCharsets.UTF_8));
    }

    /** A short hex form for dedup keys and logs: 16 bytes of the MAC (collisions between two codes: never in practice). */
    public static String shortHex(byte[] fingerprint) {
        return HexFormat.of().formatHex(fingerprint, 0, 16);
    }

    private Mac newMac() {
        try {
            Mac instance = Mac.getInstance("HmacSHA256");
            instance.init(key);
            return instance;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
