package brocard.webhooks.otp;

import brocard.webhooks.json.Json;
import brocard.webhooks.security.Keyring;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The code and password open only for the code id, recipient and expiry they were sealed with. */
class OtpSecretsTest {

    private static final OtpWebhook OTP =
            new OtpWebhook(987654, 123456, new BigDecimal("100.00"), "EUR", null, "1234", "424242", "pw-secret");
    /** Nanoseconds, as Instant.now() can give on the ingest side. */
    private static final Instant EXPIRES_AT = Instant.parse("2026-11-23T10:20:00.123456789Z");

    private final OtpSecrets secrets = new OtpSecrets(cipher("0123456789abcdef0123456789abcdef"));

    @Test
    void theContextNamesItsVersionCodeRecipientExpiryAndField() {
        assertEquals(
                "brocard.otp/v2/987654/123456/1795429200123/code",
                new SecretBinding(987654, 123456, EXPIRES_AT).context("code"));
    }

    @Test
    void theExpiryRoundTripsThroughThePublishedJsonText() throws Exception {
        ObjectNode data = Json.mapper().createObjectNode();
        secrets.addEncrypted(data, OTP, EXPIRES_AT);
        Map<String, Object> normalized = new LinkedHashMap<>();
        normalized.put("expires_at", EXPIRES_AT); // written as the ingest side writes it
        ObjectNode published =
                (ObjectNode) Json.mapper().readTree(Json.write(Map.of("data", data, "normalized", normalized)));

        Instant parsed =
                Instant.parse(published.path("normalized").path("expires_at").asText());
        SecretBinding binding = new SecretBinding(OTP.id(), OTP.recipientId(), parsed);
        assertEquals("424242", secrets.decryptCode((ObjectNode) published.get("data"), binding));
        assertEquals("pw-secret", secrets.decryptPassword((ObjectNode) published.get("data"), binding));
    }

    @Test
    void anotherRecipientOrALaterExpiryDoesNotOpenEitherSecret() {
        ObjectNode data = Json.mapper().createObjectNode();
        secrets.addEncrypted(data, OTP, EXPIRES_AT);
        for (SecretBinding wrong : new SecretBinding[] {
            new SecretBinding(OTP.id(), 123457, EXPIRES_AT),
            new SecretBinding(OTP.id(), OTP.recipientId(), EXPIRES_AT.plusMillis(1)),
            new SecretBinding(OTP.id() + 1, OTP.recipientId(), EXPIRES_AT)
        }) {
            assertThrows(OtpSecrets.BindingMismatchException.class, () -> secrets.decryptCode(data, wrong), "" + wrong);
            assertThrows(OtpSecrets.BindingMismatchException.class, () -> secrets.decryptPassword(data, wrong));
        }
    }

    @Test
    void aSecretUnderAnotherKeyIsAKeyProblemNotTampering() {
        ObjectNode data = Json.mapper().createObjectNode();
        new OtpSecrets(cipher("another-key-another-key-another!")).addEncrypted(data, OTP, EXPIRES_AT);
        assertThrows(
                OtpSecrets.ForeignKeyException.class,
                () -> secrets.decryptCode(data, new SecretBinding(OTP.id(), OTP.recipientId(), EXPIRES_AT)));
    }

    @Test
    void absentSecretsAreNullNotErrors() {
        ObjectNode purged = Json.mapper().createObjectNode();
        SecretBinding binding = new SecretBinding(OTP.id(), OTP.recipientId(), EXPIRES_AT);
        assertNull(secrets.decryptCode(purged, binding));
        assertNull(secrets.decryptPassword(purged, binding));
    }

    private static Keyring cipher(String key32) {
        return new Keyring(
                List.of(),
                Optional.of(Base64.getEncoder().encodeToString(key32.getBytes())),
                Optional.empty(),
                Optional.empty());
    }
}
