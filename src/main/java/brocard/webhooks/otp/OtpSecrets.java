package brocard.webhooks.otp;

import brocard.webhooks.security.OtpCipher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * The encrypted form of a code and password inside an event's data:
 * {@code "code_encrypted": {"alg": "A256GCM", "kid": "…", "ciphertext": base64(nonce ‖ ciphertext ‖ tag)}}, with
 * associated data from {@link SecretBinding} (code id, recipient, expiry and field name), so a ciphertext only opens
 * in the record it was made for. The relay decrypts with {@link #decryptCode} and {@link #decryptPassword}.
 */
@ApplicationScoped
public class OtpSecrets {

    public static final String CODE_FIELD = "code_encrypted";
    public static final String PASSWORD_FIELD = "password_encrypted";

    /** Sealed under another key than ours: a configuration problem (keys differ between pods), not tampering. */
    public static class ForeignKeyException extends RuntimeException {
        ForeignKeyException(String kid) {
            super("encrypted under key " + (kid.matches("[0-9a-f]{16}") ? kid : "(not a key id)")
                    + ", not under BROCARD_OTP_ENCRYPTION_KEY", null, false, false);
        }
    }

    /** Our key, but it does not open for this code id, recipient and expiry: the record was altered. */
    public static class BindingMismatchException extends RuntimeException {
        BindingMismatchException(String field) {
            super(field + " does not open for this otp id, recipient and expiry", null, false, false);
        }
    }

    private final OtpCipher cipher;

    public OtpSecrets(OtpCipher cipher) {
        this.cipher = cipher;
    }

    /** Adds the encrypted code (and password, if any), bound to the code id, recipient and {@code expiresAt}. */
    public void addEncrypted(ObjectNode data, OtpWebhook otp, Instant expiresAt) {
        SecretBinding binding = new SecretBinding(otp.id(), otp.recipientId(), expiresAt);
        data.set(CODE_FIELD, sealed(data, otp.code(), binding.context("code")));
        if (otp.password() != null) {
            data.set(PASSWORD_FIELD, sealed(data, otp.password(), binding.context("password")));
        }
    }

    /**
     * @return the code, or null if the event has none (purged after the TTL)
     * @throws ForeignKeyException      if another key sealed it
     * @throws BindingMismatchException if it does not open for this binding
     */
    public String decryptCode(ObjectNode data, SecretBinding binding) {
        return open(data.get(CODE_FIELD), binding.context("code"), "code");
    }

    /** The password, or null if Brocard sent none (or it was purged); throws like {@link #decryptCode}. */
    public String decryptPassword(ObjectNode data, SecretBinding binding) {
        return open(data.get(PASSWORD_FIELD), binding.context("password"), "password");
    }

    private String open(JsonNode sealed, String context, String field) {
        if (sealed == null || sealed.isNull()) {
            return null;
        }
        String kid = sealed.path("kid").asText("");
        if (!cipher.keyId().equals(kid)) {
            throw new ForeignKeyException(kid);
        }
        try {
            return cipher.decryptFromBase64(sealed.path("ciphertext").asText(""), context);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new BindingMismatchException(field); // the tag does not verify, or the ciphertext is mangled
        }
    }

    private ObjectNode sealed(ObjectNode data, String secret, String context) {
        ObjectNode sealed = data.objectNode();
        sealed.put("alg", OtpCipher.ALGORITHM);
        sealed.put("kid", cipher.keyId());
        sealed.put("ciphertext", cipher.encryptToBase64(secret, context));
        return sealed;
    }
}
