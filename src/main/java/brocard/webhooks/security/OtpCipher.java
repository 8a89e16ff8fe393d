package brocard.webhooks.security;

import brocard.webhooks.config.OtpConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * AES-256-GCM under the configured key, for OTP codes, passwords and quarantined bodies. Every ciphertext is bound to
 * a context string (associated data), so a ciphertext copied onto another record does not decrypt.
 */
@Startup // A missing or malformed key must stop startup, not fail the first 3DS webhook.
@ApplicationScoped
public class OtpCipher {

    /** Algorithm name written next to each ciphertext (JOSE's name for AES-256-GCM). */
    public static final String ALGORITHM = "A256GCM";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final byte[] keyBytes;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();
    /** getInstance is a provider lookup; on every webhook's and every code's path, so one instance per thread. */
    private static final ThreadLocal<Cipher> AES_GCM = ThreadLocal.withInitial(() -> newInstance("AES/GCM/NoPadding"));

    public OtpCipher(OtpConfig config) {
        this.keyBytes = decodeKey(config.encryptionKey());
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.keyId = keyIdOf(keyBytes);
    }

    /** Short public identifier of the key (first 8 bytes of its SHA-256), so a rotation can tell keys apart. */
    public String keyId() {
        return keyId;
    }

    /**
     * A key for another purpose (e.g. a MAC), derived from the configured one with HMAC-SHA256 over a label, so no
     * two uses share a key and operators still manage a single secret.
     */
    public byte[] deriveKey(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Returns nonce followed by ciphertext and tag. */
    public byte[] encrypt(byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = AES_GCM.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public byte[] decrypt(byte[] nonceAndCiphertext, String context) {
        try {
            Cipher cipher = AES_GCM.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonceAndCiphertext, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(nonceAndCiphertext, NONCE_BYTES, nonceAndCiphertext.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            // No detail: the cause could only be a wrong key, wrong context or tampering.
            throw new IllegalStateException("AES-GCM decryption failed (wrong key, context or tampered data)");
        }
    }

    public String encryptToBase64(String plaintext, String context) {
        return Base64.getEncoder().encodeToString(encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context));
    }

    public String decryptFromBase64(String base64, String context) {
        return new String(decrypt(Base64.getDecoder().decode(base64), context), StandardCharsets.UTF_8);
    }

    private static Cipher newInstance(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " is not available", e);
        }
    }

    private static byte[] decodeKey(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "brocard.otp.encryption-key (env BROCARD_OTP_ENCRYPTION_KEY) is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("brocard.otp.encryption-key (env BROCARD_OTP_ENCRYPTION_KEY) must be the "
                    + "base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`); it decodes to "
                    + bytes.length + " bytes");
        }
        return bytes;
    }

    private static String keyIdOf(byte[] keyBytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBytes);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
