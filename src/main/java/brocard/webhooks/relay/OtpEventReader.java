package brocard.webhooks.relay;

import brocard.webhooks.json.Json;
import brocard.webhooks.otp.CodeFingerprint;
import brocard.webhooks.otp.OtpSecrets;
import brocard.webhooks.otp.SecretBinding;
import brocard.webhooks.relay.channel.OtpMessage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Turns a {@code brocard.otp} record (see docs/events/otp-event.schema.json) back into a code to deliver. A purged
 * event (no {@code code_encrypted}: its TTL passed before it was published) yields a message without a code.
 *
 * <p>The fields that decide who gets the code and until when ({@code normalized.recipient_id}, {@code expires_at},
 * and the record key, which the outbox sets to the recipient) are trusted only because the secrets open under them
 * (see {@link SecretBinding}); a record where they were changed is refused as tampered.
 */
@ApplicationScoped
public class OtpEventReader {

    /** The event could not be read at all; its content is not repeated in the message. */
    public static class UnreadableEventException extends RuntimeException {
        UnreadableEventException(String message) {
            super(message, null, false, false);
        }
    }

    /** Readable, but altered after encryption (or the key names another recipient): never delivered. */
    public static class TamperedEventException extends RuntimeException {
        private final long otpId;

        TamperedEventException(long otpId, String message) {
            super(message, null, false, false);
            this.otpId = otpId;
        }

        public long otpId() {
            return otpId;
        }
    }

    private final OtpSecrets secrets;
    private final CodeFingerprint codeFingerprints;

    public OtpEventReader(OtpSecrets secrets, CodeFingerprint codeFingerprints) {
        this.secrets = secrets;
        this.codeFingerprints = codeFingerprints;
    }

    /** @param key the Kafka record key: the recipient id, as the outbox publishes it */
    public OtpMessage read(String key, String value) {
        ObjectNode data;
        try {
            data = (ObjectNode) Json.mapper().readTree(value);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new UnreadableEventException("brocard.otp event is not a JSON object");
        }
        JsonNode n = data.path("normalized");
        if (!n.path("otp_id").canConvertToLong()
                || !n.path("recipient_id").canConvertToLong()
                || !n.hasNonNull("expires_at")
                || !n.hasNonNull("received_at")) {
            throw new UnreadableEventException("brocard.otp event lacks normalized otp_id/recipient_id/dates");
        }
        long otpId = n.path("otp_id").asLong();
        long recipientId = n.path("recipient_id").asLong();
        Instant expiresAt = instant(n.path("expires_at"));
        if (!Long.toString(recipientId).equals(key)) {
            throw new TamperedEventException(otpId, "record key does not match normalized.recipient_id");
        }
        SecretBinding binding = new SecretBinding(otpId, recipientId, expiresAt);
        String code;
        String password;
        try {
            code = secrets.decryptCode(data, binding);
            password = secrets.decryptPassword(data, binding);
        } catch (OtpSecrets.BindingMismatchException e) {
            throw new TamperedEventException(otpId, e.getMessage());
        } catch (OtpSecrets.ForeignKeyException e) {
            throw new UnreadableEventException(e.getMessage());
        }
        return new OtpMessage(
                otpId,
                recipientId,
                code,
                password,
                new BigDecimal(n.path("amount").asText("0")),
                n.path("currency").asText(""),
                Optional.ofNullable(n.get("card_last_four"))
                        .filter(JsonNode::isTextual)
                        .map(JsonNode::asText)
                        .orElse(null),
                instant(n.path("received_at")),
                expiresAt,
                codeFingerprints.of(otpId, code));
    }

    private static Instant instant(JsonNode text) {
        try {
            return Instant.parse(text.asText());
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException("brocard.otp event has a malformed normalized date");
        }
    }
}
