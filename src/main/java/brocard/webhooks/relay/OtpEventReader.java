package brocard.webhooks.relay;

import brocard.webhooks.ingest.WebhookJson;
import brocard.webhooks.otp.OtpSecrets;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a {@code brocard.otp} event (see docs/events/otp-event.schema.json) back into a code to deliver. A purged
 * event (no {@code code_encrypted}: its TTL passed before it was published) yields a message without a code.
 */
@ApplicationScoped
public class OtpEventReader {

    /** The event could not be read at all; its content is not repeated in the message. */
    public static class UnreadableEventException extends RuntimeException {
        UnreadableEventException(String message) {
            super(message, null, false, false);
        }
    }

    private final OtpSecrets secrets;

    public OtpEventReader(OtpSecrets secrets) {
        this.secrets = secrets;
    }

    public OtpMessage read(String value) {
        ObjectNode data;
        try {
            data = (ObjectNode) WebhookJson.mapper().readTree(value);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new UnreadableEventException("brocard.otp event is not a JSON object");
        }
        JsonNode n = data.path("normalized");
        if (!n.path("otp_id").canConvertToLong() || !n.path("recipient_id").canConvertToLong()
                || !n.hasNonNull("expires_at") || !n.hasNonNull("received_at")) {
            throw new UnreadableEventException("brocard.otp event lacks normalized otp_id/recipient_id/dates");
        }
        long otpId = n.path("otp_id").asLong();
        String code = data.has(OtpSecrets.CODE_FIELD) ? secrets.decryptCode(data, otpId) : null;
        String password = data.has(OtpSecrets.PASSWORD_FIELD) ? secrets.decryptPassword(data, otpId) : null;
        return new OtpMessage(otpId, n.path("recipient_id").asLong(), code, password,
                new BigDecimal(n.path("amount").asText("0")), n.path("currency").asText(""),
                Optional.ofNullable(n.get("card_last_four")).filter(JsonNode::isTextual).map(JsonNode::asText)
                        .orElse(null),
                Instant.parse(n.path("received_at").asText()), Instant.parse(n.path("expires_at").asText()));
    }
}
