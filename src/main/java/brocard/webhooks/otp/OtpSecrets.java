package brocard.webhooks.otp;

import brocard.webhooks.security.OtpCipher;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The encrypted form of a code and password inside an event's data:
 * {@code "code_encrypted": {"alg": "A256GCM", "kid": "…", "ciphertext": base64(nonce ‖ ciphertext ‖ tag)}}, with
 * associated data {@code brocard.otp/<otp id>/code} (or {@code /password}) so a ciphertext only opens for its own
 * code. The relay decrypts with {@link #decryptCode} and {@link #decryptPassword}.
 */
@ApplicationScoped
public class OtpSecrets {

    public static final String CODE_FIELD = "code_encrypted";
    public static final String PASSWORD_FIELD = "password_encrypted";

    private final OtpCipher cipher;

    public OtpSecrets(OtpCipher cipher) {
        this.cipher = cipher;
    }

    public void addEncrypted(ObjectNode data, OtpWebhook otp) {
        data.set(CODE_FIELD, sealed(data, otp.code(), context(otp.id(), "code")));
        if (otp.password() != null) {
            data.set(PASSWORD_FIELD, sealed(data, otp.password(), context(otp.id(), "password")));
        }
    }

    public String decryptCode(ObjectNode data, long otpId) {
        return cipher.decryptFromBase64(data.path(CODE_FIELD).path("ciphertext").asText(), context(otpId, "code"));
    }

    public String decryptPassword(ObjectNode data, long otpId) {
        return cipher.decryptFromBase64(data.path(PASSWORD_FIELD).path("ciphertext").asText(),
                context(otpId, "password"));
    }

    private ObjectNode sealed(ObjectNode data, String secret, String context) {
        ObjectNode sealed = data.objectNode();
        sealed.put("alg", OtpCipher.ALGORITHM);
        sealed.put("kid", cipher.keyId());
        sealed.put("ciphertext", cipher.encryptToBase64(secret, context));
        return sealed;
    }

    private static String context(long otpId, String field) {
        return "brocard.otp/" + otpId + "/" + field;
    }
}
