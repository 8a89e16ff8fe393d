package brocard.webhooks.security;

import brocard.webhooks.config.OtpConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The master keys ({@code brocard.keys}, env {@code BROCARD_KEYS}: {@code kid:base64,kid:base64,…}). The first one
 * seals everything new; all of them open. Each purpose gets its own key derived from each master key
 * ({@link KeyPurpose}, {@link Hkdf}); the body fingerprint gets a key that must NOT change with a rotation (see
 * {@link #fingerprintKey()}).
 *
 * <p>The single key of earlier versions ({@code brocard.otp.encryption-key}, env {@code BROCARD_OTP_ENCRYPTION_KEY}) is
 * still accepted: alone it is the whole ring, under the kid it always had (the first 8 bytes of its SHA-256, hex);
 * next to {@code brocard.keys} it is one more key that opens (unless the list already holds it).
 */
@Startup // A missing or malformed key must stop startup, not fail the first 3DS webhook.
@ApplicationScoped
public class Keyring {

    static final Pattern VALID_KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Logger LOG = Logger.getLogger(Keyring.class);
    /** The label of the body fingerprint's key since the first version; kept so fingerprints stay comparable. */
    private static final String FINGERPRINT_LABEL = "brocard-webhooks/body-fingerprint/v1";

    /** One master key. {@code legacyId} names it in pre-keyring ciphertexts. */
    private record MasterKey(String kid, byte[] bytes, String legacyId) {}

    private final List<MasterKey> keys;
    private final Map<KeyPurpose, PurposeCipher> ciphers = new EnumMap<>(KeyPurpose.class);
    private final byte[] fingerprintKey;
    private final String fingerprintSource;

    @Inject
    public Keyring(
            @ConfigProperty(name = "brocard.keys") Optional<List<String>> keys,
            OtpConfig otp,
            @ConfigProperty(name = "brocard.fingerprint-key") Optional<String> fingerprintKey,
            @ConfigProperty(name = "brocard.fingerprint-kid") Optional<String> fingerprintKid) {
        this(keys.orElse(List.of()), otp.encryptionKey(), fingerprintKey, fingerprintKid);
    }

    public Keyring(
            List<String> entries,
            Optional<String> legacyKey,
            Optional<String> fingerprintKey,
            Optional<String> fingerprintKid) {
        this.keys = masterKeys(entries, legacyKey);
        for (KeyPurpose purpose : KeyPurpose.values()) {
            Map<String, byte[]> derived = new LinkedHashMap<>();
            Map<String, byte[]> legacy = new LinkedHashMap<>();
            for (MasterKey key : this.keys) {
                derived.put(key.kid(), Hkdf.derive(key.bytes(), purpose.info()));
                legacy.put(key.legacyId(), key.bytes());
            }
            ciphers.put(purpose, new PurposeCipher(purpose, this.keys.get(0).kid(), derived, legacy));
        }
        if (fingerprintKey.isPresent() && !fingerprintKey.get().isBlank()) {
            this.fingerprintKey = decode(fingerprintKey.get(), "brocard.fingerprint-key (env BROCARD_FINGERPRINT_KEY)");
            this.fingerprintSource = "brocard.fingerprint-key";
        } else {
            // Default: the legacy single key if configured (what every earlier version used), else the oldest key.
            String kid = fingerprintKid.filter(k -> !k.isBlank()).orElseGet(() -> legacyKey
                    .filter(k -> !k.isBlank())
                    .map(k -> legacyIdOf(decode(k, "brocard.otp.encryption-key")))
                    .map(this::kidOfLegacyId)
                    .orElse(this.keys.get(this.keys.size() - 1).kid()));
            MasterKey source = this.keys.stream()
                    .filter(key -> key.kid().equals(kid))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("brocard.fingerprint-kid names key " + kid
                            + ", which is not in the keyring; set BROCARD_FINGERPRINT_KEY instead (docs/operations.md,"
                            + " key rotation)"));
            this.fingerprintKey = Hkdf.hmac(source.bytes(), FINGERPRINT_LABEL.getBytes(StandardCharsets.UTF_8));
            this.fingerprintSource = "key " + kid;
        }
        LOG.infof(
                "Keyring: sealing under kid %s; %d key(s) open %s; body fingerprints keyed from %s",
                currentKid(), this.keys.size(), kids(), fingerprintSource);
    }

    /** The kid that seals everything new. */
    public String currentKid() {
        return keys.get(0).kid();
    }

    public List<String> kids() {
        return keys.stream().map(MasterKey::kid).toList();
    }

    public PurposeCipher cipher(KeyPurpose purpose) {
        return ciphers.get(purpose);
    }

    /**
     * The HMAC key of body fingerprints (dedup of replays). Fingerprints are stored and compared for as long as
     * webhooks are kept, so this key must survive rotations: it is either a dedicated secret
     * ({@code brocard.fingerprint-key}) or derived from one named master key ({@code brocard.fingerprint-kid},
     * default: the legacy key, else the last of the list), never from "the current key".
     */
    public byte[] fingerprintKey() {
        return fingerprintKey.clone();
    }

    /** Where the fingerprint key comes from, for messages (never the key). */
    public String fingerprintSource() {
        return fingerprintSource;
    }

    private String kidOfLegacyId(String legacyId) {
        return keys.stream()
                .filter(key -> key.legacyId().equals(legacyId))
                .map(MasterKey::kid)
                .findFirst()
                .orElseThrow();
    }

    private static List<MasterKey> masterKeys(List<String> entries, Optional<String> legacyKey) {
        List<MasterKey> keys = new ArrayList<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String kid = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (!VALID_KID.matcher(kid).matches()) {
                throw new IllegalStateException("brocard.keys (env BROCARD_KEYS) takes kid:base64 entries separated "
                        + "by commas; kids are 1-64 of [A-Za-z0-9._-]; entry " + (keys.size() + 1) + " is not one");
            }
            byte[] bytes = decode(entry.substring(colon + 1), "brocard.keys entry " + kid);
            if (keys.stream().anyMatch(key -> key.kid().equals(kid) || Arrays.equals(key.bytes(), bytes))) {
                throw new IllegalStateException("brocard.keys lists kid " + kid + " (or its key) twice");
            }
            keys.add(new MasterKey(kid, bytes, legacyIdOf(bytes)));
        }
        if (legacyKey.isPresent() && !legacyKey.get().isBlank()) {
            byte[] bytes = decode(legacyKey.get(), "brocard.otp.encryption-key (env BROCARD_OTP_ENCRYPTION_KEY)");
            if (keys.stream().noneMatch(key -> Arrays.equals(key.bytes(), bytes))) {
                keys.add(new MasterKey(legacyIdOf(bytes), bytes, legacyIdOf(bytes)));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("No encryption key: set BROCARD_KEYS (kid:base64 of 32 random bytes, "
                    + "e.g. k1:$(openssl rand -base64 32)) or the older BROCARD_OTP_ENCRYPTION_KEY");
        }
        return List.copyOf(keys);
    }

    private static byte[] decode(String base64, String setting) {
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(setting + " must be the base64 of exactly 32 random bytes (e.g. "
                    + "`openssl rand -base64 32`); it decodes to " + bytes.length + " bytes");
        }
        return bytes;
    }

    /** The kid earlier versions wrote: first 8 bytes of the key's SHA-256, hex (public, reveals nothing useful). */
    static String legacyIdOf(byte[] keyBytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(keyBytes), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
