package brocard.webhooks.otp;

import brocard.webhooks.config.OtpConfig;
import brocard.webhooks.config.TopicsConfig;
import brocard.webhooks.inbound.WebhookKind;
import brocard.webhooks.ingest.CanonicalBody;
import brocard.webhooks.ingest.EventTable;
import brocard.webhooks.ingest.JsonFields;
import brocard.webhooks.ingest.ReceivedWebhook;
import brocard.webhooks.ingest.StoreRequest;
import brocard.webhooks.ingest.WebhookIngestor;
import brocard.webhooks.json.Json;
import brocard.webhooks.outbox.EventData;
import brocard.webhooks.outbox.EventDraft;
import brocard.webhooks.security.SecretFields;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 3-D Secure code webhooks: one event per code id and code, keyed by recipient so a cardholder's codes stay in order.
 * The same code id with another code is a re-issued code (the cardholder asked for a new one): a new event, with its
 * own CloudEvent id. The same code id and code again is a replay: a duplicate (or, if other fields changed, a dedup
 * conflict), never published again. The code
 * and password are stored nowhere in clear: the database row has neither, and the event carries them encrypted
 * (see {@link OtpSecrets}) until the purge job removes them after the TTL.
 */
@ApplicationScoped
public class OtpIngestor implements WebhookIngestor<OtpWebhook> {

    private final OtpEventTable table;
    private final OtpSecrets secrets;
    private final TopicsConfig topics;
    private final OtpConfig config;
    private final CodeFingerprint codeFingerprints;

    public OtpIngestor(
            OtpEventTable table,
            OtpSecrets secrets,
            TopicsConfig topics,
            OtpConfig config,
            CodeFingerprint codeFingerprints) {
        this.table = table;
        this.codeFingerprints = codeFingerprints;
        this.secrets = secrets;
        this.topics = topics;
        this.config = config;
    }

    @Override
    public WebhookKind kind() {
        return WebhookKind.OTP_CODE;
    }

    @Override
    public OtpWebhook validate(ObjectNode body, JsonFields f) {
        Long id = f.requiredLong("id");
        Long recipientId = f.requiredLong("recipient_id");
        var amount = f.requiredDecimal("amount");
        String currency = f.requiredString("currency");
        // A code (or password) sent as a JSON number is still the code: never lose one to a type quibble.
        String code = f.requiredText("code");
        if (code != null && code.isBlank()) {
            f.addError("code", "The %s field is required.");
        }
        String password = f.optionalText("password");
        f.optionalObject("card");
        String lastFour = f.optionalText("card_last_four");
        String cardLastFour = lastFour != null ? lastFour : f.optionalText("card.last_four");
        Long cardId = f.optionalLong("card.id");
        f.throwIfInvalid();
        return new OtpWebhook(
                id, recipientId, amount, currency, cardId, cardLastFour, code, password, codeFingerprints.of(id, code));
    }

    /** The fingerprint covers the whole body (code included); nothing stored or published holds the code in clear. */
    @Override
    public StoreRequest<OtpWebhook> prepare(OtpWebhook otp, ReceivedWebhook received, CanonicalBody canonical) {
        ObjectNode withoutSecrets = SecretFields.withoutSecrets(received.body());
        Instant expiresAt = received.receivedAt().plus(config.secretTtl());
        String storedBody = Json.write(withoutSecrets);
        ObjectNode data = withoutSecrets.deepCopy();
        secrets.addEncrypted(data, otp, expiresAt);
        Map<String, Object> normalized = new LinkedHashMap<>();
        normalized.put("otp_id", otp.id());
        normalized.put("recipient_id", otp.recipientId());
        normalized.put("amount", otp.amount().toPlainString());
        normalized.put("currency", otp.currency());
        normalized.put("card_last_four", otp.cardLastFour());
        normalized.put("received_at", received.receivedAt());
        normalized.put("expires_at", expiresAt);
        EventDraft event = new EventDraft(
                received.eventId(),
                topics.otp(),
                Long.toString(otp.recipientId()),
                "brocard.otp.received",
                "otp_code/" + otp.id(),
                received.receivedAt(),
                EventData.of(data, normalized),
                true);
        return new StoreRequest<>(
                kind(),
                otp,
                received,
                OtpEventTable.dedupKey(otp.id(), otp.codeFingerprint()),
                otp.id(),
                canonical.fingerprint(),
                storedBody,
                event);
    }

    @Override
    public EventTable<OtpWebhook> table() {
        return table;
    }
}
