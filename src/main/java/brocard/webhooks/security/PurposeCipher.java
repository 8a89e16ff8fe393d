package brocard.webhooks.security;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AES-256-GCM under the keys of one {@link KeyPurpose}: seals with the current key and names it by its {@code kid};
 * opens with whichever key the stored {@code kid} names (every key of the ring opens, only the first seals).
 *
 * <p>Ciphertexts written before the keyring existed were sealed with the raw master key itself, not a derived one;
 * {@link #openLegacy} still opens them as long as that master key is in the ring (re-encryption rewrites them).
 */
public final class PurposeCipher {

    /** Algorithm name written next to each ciphertext (JOSE's name for AES-256-GCM). */
    public static final String ALGORITHM = "A256GCM";
    /** Written next to each ciphertext under a derived key; its absence marks a pre-keyring (legacy) ciphertext. */
    public static final String KDF = "HKDF-SHA256";

    /** A ciphertext and the kid of the key that sealed it. */
    public record Sealed(String kid, byte[] ciphertext) {}

    /** The kid is not in this service's keyring: a configuration problem (a key removed too early), not tampering. */
    public static class UnknownKeyException extends RuntimeException {
        UnknownKeyException(String kid) {
            super(
                    "sealed under key "
                            + (kid != null && Keyring.VALID_KID.matcher(kid).matches() ? kid : "(no kid)")
                            + ", which is not in the keyring (BROCARD_KEYS)",
                    null,
                    false,
                    false);
        }
    }

    /** Our key, but it does not open: wrong context (the record was altered) or a damaged ciphertext. */
    public static class DoesNotOpenException extends RuntimeException {
        DoesNotOpenException() {
            super("AES-GCM decryption failed (wrong context or tampered data)", null, false, false);
        }
    }

    private final KeyPurpose purpose;
    private final String currentKid;
    private final Map<String, SecretKey> keys;
    /** Raw master keys by their legacy id (first 8 bytes of SHA-256, hex), for pre-keyring ciphertexts. */
    private final Map<String, SecretKey> legacyKeys;

    PurposeCipher(
            KeyPurpose purpose, String currentKid, Map<String, byte[]> keysByKid, Map<String, byte[]> legacyKeysById) {
        this.purpose = purpose;
        this.currentKid = currentKid;
        this.keys = aesKeys(keysByKid);
        this.legacyKeys = aesKeys(legacyKeysById);
    }

    /**
     * A cipher holding only this purpose's key, as a party that is given nothing else would (e.g. a consumer of
     * brocard.otp with the event-field key, derived as docs/events describes). It cannot open another purpose's data.
     */
    public static PurposeCipher withPurposeKey(KeyPurpose purpose, String kid, byte[] purposeKey) {
        return new PurposeCipher(purpose, kid, Map.of(kid, purposeKey), Map.of());
    }

    public KeyPurpose purpose() {
        return purpose;
    }

    /** The kid new ciphertexts are sealed under. */
    public String currentKid() {
        return currentKid;
    }

    public boolean hasKey(String kid) {
        return keys.containsKey(kid);
    }

    public Sealed seal(byte[] plaintext, String context) {
        return new Sealed(currentKid, AesGcm.seal(keys.get(currentKid), plaintext, context));
    }

    /**
     * @throws UnknownKeyException if the kid is not in the ring
     * @throws DoesNotOpenException if it does not open under that key and context
     */
    public byte[] open(String kid, byte[] ciphertext, String context) {
        SecretKey key = keys.get(kid);
        if (key == null) {
            throw new UnknownKeyException(kid);
        }
        byte[] plaintext = AesGcm.openOrNull(key, ciphertext, context);
        if (plaintext == null) {
            throw new DoesNotOpenException();
        }
        return plaintext;
    }

    /**
     * Opens a pre-keyring ciphertext (sealed with a raw master key).
     *
     * @param legacyId the id it was written with (events carried one), or null (stored columns did not): then every
     *                 master key of the ring is tried; GCM's tag makes a wrong key fail, never decrypt to garbage
     */
    public byte[] openLegacy(String legacyId, byte[] ciphertext, String context) {
        List<SecretKey> candidates = legacyId == null
                ? List.copyOf(legacyKeys.values())
                : legacyKeys.containsKey(legacyId) ? List.of(legacyKeys.get(legacyId)) : List.of();
        if (candidates.isEmpty()) {
            throw new UnknownKeyException(legacyId);
        }
        for (SecretKey key : candidates) {
            byte[] plaintext = AesGcm.openOrNull(key, ciphertext, context);
            if (plaintext != null) {
                return plaintext;
            }
        }
        throw new DoesNotOpenException();
    }

    /** Opens a stored column: kid null means a pre-keyring row. */
    public byte[] openStored(String kid, byte[] ciphertext, String context) {
        return kid == null ? openLegacy(null, ciphertext, context) : open(kid, ciphertext, context);
    }

    private static Map<String, SecretKey> aesKeys(Map<String, byte[]> raw) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        raw.forEach((id, bytes) -> keys.put(id, new SecretKeySpec(bytes, "AES")));
        return Map.copyOf(keys);
    }
}
