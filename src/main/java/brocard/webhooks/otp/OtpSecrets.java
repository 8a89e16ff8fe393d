package brocard.webhooks.otp;

import brocard.webhooks.security.KeyPurpose;
import brocard.webhooks.security.Keyring;
import brocard.webhooks.security.PurposeCipher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The encrypted form of a code and password inside an event's data:
 * {@code "code_encrypted": {"alg": "A256GCM", "kid": "…", "kdf": "HKDF-SHA256", "ciphertext": base64(nonce ‖
 * ciphertext ‖ tag)}}, under the event-field key ({@link KeyPurpose#EVENT_FIELDS}) of the master key {@code kid}, with
 * associated data from {@link SecretBinding} (code id, recipient, expiry and field name), so a ciphertext only opens
 * in the record it was made for. The relay decrypts with {@link #decryptCode} and {@link #decryptPassword}. Without
 * {@code kdf} it was sealed before the keyring, with the raw master key whose legacy id is {@code kid}.
 */
@ApplicationScoped
public class OtpSecrets {

    public static final String CODE_FIELD = "code_encrypted";
    public static final String PASSWORD_FIELD = "password_encrypted";

    /** Sealed under a key not in our ring: a configuration problem (keys differ between pods), not tampering. */
    public static class ForeignKeyException extends RuntimeException {
        ForeignKeyException(String message) {
            super(message, null, false, false);
        }
    }

    /** Our key, but it does not open for this code id, recipient and expiry: the record was altered. */
    public static class BindingMismatchException extends RuntimeException {
        BindingMismatchException(String field) {
            super(field + " does not open for this otp id, recipient and expiry", null, false, false);
        }
    }

    private final PurposeCipher cipher;

    @Inject
    public OtpSecrets(Keyring keyring) {
        this(keyring.cipher(KeyPurpose.EVENT_FIELDS));
    }

    /** @param cipher the event-field cipher (a consumer may hold only that one) */
    public OtpSecrets(PurposeCipher cipher) {
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

    /**
     * Re-seals the code and password of an event's data under the current key, if another key sealed them (key
     * rotation of stored events). The binding is read from the event's own normalized fields.
     *
     * @return whether anything changed
     */
    public boolean resealUnderCurrentKey(ObjectNode data) {
        JsonNode n = data.path("normalized");
        SecretBinding binding = new SecretBinding(
                n.path("otp_id").asLong(),
                n.path("recipient_id").asLong(),
                Instant.parse(n.path("expires_at").asText()));
        boolean changed = false;
        for (String[] field : new String[][] {{CODE_FIELD, "code"}, {PASSWORD_FIELD, "password"}}) {
            JsonNode sealed = data.get(field[0]);
            if (sealed == null || sealed.isNull() || isCurrent(sealed)) {
                continue;
            }
            String context = binding.context(field[1]);
            data.set(field[0], sealed(data, open(sealed, context, field[1]), context));
            changed = true;
        }
        return changed;
    }

    /** Whether this sealed field is under the current key (new format). */
    public boolean isCurrent(JsonNode sealed) {
        return sealed.hasNonNull("kdf")
                && cipher.currentKid().equals(sealed.path("kid").asText());
    }

    private String open(JsonNode sealed, String context, String field) {
        if (sealed == null || sealed.isNull()) {
            return null;
        }
        String kid = sealed.path("kid").asText("");
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(sealed.path("ciphertext").asText(""));
        } catch (IllegalArgumentException e) {
            throw new BindingMismatchException(field); // mangled
        }
        try {
            byte[] plaintext = sealed.hasNonNull("kdf")
                    ? cipher.open(kid, ciphertext, context)
                    : cipher.openLegacy(kid, ciphertext, context);
            return new String(plaintext, StandardCharsets.UTF_8);
        } catch (PurposeCipher.UnknownKeyException e) {
            throw new ForeignKeyException(e.getMessage());
        } catch (PurposeCipher.DoesNotOpenException e) {
            throw new BindingMismatchException(field); // the tag does not verify
        }
    }

    private ObjectNode sealed(ObjectNode data, String secret, String context) {
        PurposeCipher.Sealed sealed = cipher.seal(secret.getBytes(StandardCharsets.UTF_8), context);
        ObjectNode node = data.objectNode();
        node.put("alg", PurposeCipher.ALGORITHM);
        node.put("kid", sealed.kid());
        node.put("kdf", PurposeCipher.KDF);
        node.put("ciphertext", Base64.getEncoder().encodeToString(sealed.ciphertext()));
        return node;
    }
}
