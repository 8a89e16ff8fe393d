package brocard.webhooks.otp;

import brocard.webhooks.config.OtpConfig;
import brocard.webhooks.config.TopicsConfig;
import brocard.webhooks.db.Jdbc;
import brocard.webhooks.ingest.DuplicateHandler;
import brocard.webhooks.ingest.IngestResult;
import brocard.webhooks.ingest.JsonFields;
import brocard.webhooks.ingest.ReceivedWebhook;
import brocard.webhooks.ingest.WebhookIngestor;
import brocard.webhooks.ingest.WebhookJson;
import brocard.webhooks.ingest.WebhookKind;
import brocard.webhooks.outbox.EventData;
import brocard.webhooks.outbox.EventDraft;
import brocard.webhooks.outbox.OutboxWriter;
import brocard.webhooks.security.BodyFingerprint;
import brocard.webhooks.security.SecretFields;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 3-D Secure code webhooks: one event per code id, keyed by recipient so a cardholder's codes stay in order. The code
 * and password are stored nowhere in clear: the database row has neither, and the event carries them encrypted
 * (see {@link OtpSecrets}) until the purge job removes them after the TTL.
 */
@ApplicationScoped
public class OtpIngestor implements WebhookIngestor<OtpWebhook> {

    private static final String INSERT_EVENT = """
            insert into otp_code_event (event_id, otp_id, recipient_id, amount, currency, card_id, card_last_four,
                has_password, body, fingerprint, received_at, expires_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
            on conflict (otp_id) do nothing
            returning event_id""";
    private static final String STORED_FINGERPRINT = "select fingerprint from otp_code_event where otp_id = ?";

    private final Jdbc jdbc;
    private final OutboxWriter outbox;
    private final DuplicateHandler duplicates;
    private final BodyFingerprint fingerprint;
    private final OtpSecrets secrets;
    private final TopicsConfig topics;
    private final OtpConfig config;

    public OtpIngestor(Jdbc jdbc, OutboxWriter outbox, DuplicateHandler duplicates, BodyFingerprint fingerprint,
                       OtpSecrets secrets, TopicsConfig topics, OtpConfig config) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.duplicates = duplicates;
        this.fingerprint = fingerprint;
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
        String code = f.requiredString("code");
        if (code != null && code.isBlank()) {
            f.addError("code", "The %s field is required.");
        }
        String password = f.optionalString("password");
        f.optionalObject("card");
        String lastFour = f.optionalString("card_last_four");
        String cardLastFour = lastFour != null ? lastFour : f.optionalString("card.last_four");
        Long cardId = f.optionalLong("card.id");
        f.throwIfInvalid();
        return new OtpWebhook(id, recipientId, amount, currency, cardId, cardLastFour, code, password);
    }

    @Override
    @Transactional
    public IngestResult store(OtpWebhook otp, ReceivedWebhook received) {
        byte[] bodyFingerprint = fingerprint.of(received.body());
        ObjectNode withoutSecrets = SecretFields.withoutSecrets(received.body());
        Instant expiresAt = received.receivedAt().plus(config.secretTtl());
        boolean inserted = !jdbc.query(INSERT_EVENT, row -> row.getObject(1), received.eventId(), otp.id(),
                otp.recipientId(), otp.amount(), otp.currency(), otp.cardId(), otp.cardLastFour(),
                otp.password() != null, WebhookJson.write(withoutSecrets), bodyFingerprint, received.receivedAt(),
                expiresAt).isEmpty();
        if (!inserted) {
            byte[] stored = jdbc.query(STORED_FINGERPRINT, row -> row.getBytes(1), otp.id()).get(0);
            return duplicates.handle(kind(), Long.toString(otp.id()), otp.id(), stored, bodyFingerprint, received);
        }
        ObjectNode data = withoutSecrets.deepCopy();
        secrets.addEncrypted(data, otp);
        Map<String, Object> normalized = new LinkedHashMap<>();
        normalized.put("otp_id", otp.id());
        normalized.put("recipient_id", otp.recipientId());
        normalized.put("amount", otp.amount().toPlainString());
        normalized.put("currency", otp.currency());
        normalized.put("card_last_four", otp.cardLastFour());
        normalized.put("received_at", received.receivedAt());
        normalized.put("expires_at", expiresAt);
        outbox.enqueue(new EventDraft(received.eventId(), topics.otp(), Long.toString(otp.recipientId()),
                "brocard.otp.received", "otp_code/" + otp.id(), received.receivedAt(),
                EventData.of(data, normalized), true));
        return IngestResult.accepted(kind().wireName(), otp.id());
    }
}
