package brocard.webhooks.refund;

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
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static brocard.webhooks.ingest.ProviderDate.instantOf;
import static brocard.webhooks.ingest.ProviderDate.originalOf;

/** Refund webhooks: one event per refund id; a refund does not change once created. */
@ApplicationScoped
public class RefundIngestor implements WebhookIngestor<RefundWebhook> {

    private static final String INSERT_EVENT = """
            insert into refund_event (event_id, refund_id, amount, currency, card_id, card_last_four, user_id,
                user_uuid, team_id, provider_date, provider_date_at, body, fingerprint, received_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            on conflict (refund_id) do nothing
            returning event_id""";
    private static final String STORED_FINGERPRINT = "select fingerprint from refund_event where refund_id = ?";

    private final Jdbc jdbc;
    private final OutboxWriter outbox;
    private final DuplicateHandler duplicates;
    private final BodyFingerprint fingerprint;
    private final TopicsConfig topics;

    public RefundIngestor(Jdbc jdbc, OutboxWriter outbox, DuplicateHandler duplicates, BodyFingerprint fingerprint,
                          TopicsConfig topics) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.duplicates = duplicates;
        this.fingerprint = fingerprint;
        this.topics = topics;
    }

    @Override
    public WebhookKind kind() {
        return WebhookKind.REFUND;
    }

    @Override
    public RefundWebhook validate(ObjectNode body, JsonFields f) {
        Long id = f.requiredLong("id");
        for (String parent : List.of("user", "user.team", "card")) {
            f.optionalObject(parent);
        }
        RefundWebhook refund = new RefundWebhook(id == null ? 0 : id, f.requiredDecimal("amount"),
                f.requiredString("currency"), f.optionalLong("card.id"), f.optionalString("card.last_four"),
                f.optionalLong("user.id"), f.optionalString("user.uuid"), f.optionalLong("user.team.id"),
                f.requiredDate("date"));
        f.throwIfInvalid();
        return refund;
    }

    @Override
    @Transactional
    public IngestResult store(RefundWebhook r, ReceivedWebhook received) {
        byte[] bodyFingerprint = fingerprint.of(received.body());
        boolean inserted = !jdbc.query(INSERT_EVENT, row -> row.getObject(1), received.eventId(), r.id(), r.amount(),
                r.currency(), r.cardId(), r.cardLastFour(), r.userId(), r.userUuid(), r.teamId(),
                originalOf(r.date()), instantOf(r.date()), WebhookJson.write(received.body()), bodyFingerprint,
                received.receivedAt()).isEmpty();
        if (!inserted) {
            byte[] stored = jdbc.query(STORED_FINGERPRINT, row -> row.getBytes(1), r.id()).get(0);
            return duplicates.handle(kind(), Long.toString(r.id()), r.id(), stored, bodyFingerprint, received);
        }
        Map<String, Object> normalized = new LinkedHashMap<>();
        normalized.put("refund_id", r.id());
        normalized.put("amount", r.amount().toPlainString());
        normalized.put("currency", r.currency());
        normalized.put("date", instantOf(r.date()));
        normalized.put("received_at", received.receivedAt());
        outbox.enqueue(new EventDraft(received.eventId(), topics.refunds(), Long.toString(r.id()),
                "brocard.refund.created", "refund/" + r.id(), received.receivedAt(),
                EventData.of(received.body(), normalized), false));
        return IngestResult.accepted(kind().wireName(), r.id());
    }
}
