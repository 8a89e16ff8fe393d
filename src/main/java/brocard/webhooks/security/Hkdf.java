package brocard.webhooks.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/** HMAC-SHA256 and HKDF-SHA256 (RFC 5869) for one 32-byte output block: all this service derives. */
public final class Hkdf {

    /** Salt of every purpose key; fixed and public (RFC 5869 allows it), versioned in case the scheme changes. */
    public static final String SALT = "brocard-webhooks/keyring/v1";

    private Hkdf() {}

    /** HKDF-SHA256(ikm = master key, salt = {@link #SALT}, info, L = 32). */
    public static byte[] derive(byte[] masterKey, String info) {
        return derive(SALT.getBytes(StandardCharsets.UTF_8), masterKey, info.getBytes(StandardCharsets.UTF_8));
    }

    /** HKDF-SHA256 with L = 32 (one block): T(1) = HMAC(PRK, info ‖ 0x01), PRK = HMAC(salt, ikm). */
    static byte[] derive(byte[] salt, byte[] ikm, byte[] infoBytes) {
        byte[] prk = hmac(salt, ikm); // extract
        byte[] block = new byte[infoBytes.length + 1]; // expand, T(1) only
        System.arraycopy(infoBytes, 0, block, 0, infoBytes.length);
        block[infoBytes.length] = 1;
        return hmac(prk, block);
    }

    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
