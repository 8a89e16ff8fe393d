package brocard.webhooks.refund;

import brocard.webhooks.config.TopicsConfig;
import brocard.webhooks.inbound.WebhookKind;
import brocard.webhooks.ingest.CanonicalBody;
import brocard.webhooks.ingest.EventTable;
import brocard.webhooks.ingest.JsonFields;
import brocard.webhooks.ingest.ReceivedWebhook;
import brocard.webhooks.ingest.StoreRequest;
import brocard.webhooks.ingest.WebhookIngestor;
import brocard.webhooks.outbox.EventData;
import brocard.webhooks.outbox.EventDraft;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static brocard.webhooks.ingest.ProviderDate.instantOf;

/** Refund webhooks: one event per refund id; a refund does not change once created. */
@ApplicationScoped
public class RefundIngestor implements WebhookIngestor<RefundWebhook> {

    private final RefundEventTable table;
    private final TopicsConfig topics;

    public RefundIngestor(RefundEventTable table, TopicsConfig topics) {
        this.table = table;
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
        RefundWebhook refund = new RefundWebhook(
                id == null ? 0 : id,
                f.requiredDecimal("amount"),
                f.requiredString("currency"),
                f.optionalLong("card.id"),
                f.optionalText("card.last_four"),
                f.optionalLong("user.id"),
                f.optionalString("user.uuid"),
                f.optionalLong("user.team.id"),
                f.requiredDate("date"));
        f.throwIfInvalid();
        return refund;
    }

    @Override
    public StoreRequest<RefundWebhook> prepare(RefundWebhook r, ReceivedWebhook received, CanonicalBody canonical) {
        Map<String, Object> normalized = new LinkedHashMap<>();
        normalized.put("refund_id", r.id());
        normalized.put("amount", r.amount().toPlainString());
        normalized.put("currency", r.currency());
        normalized.put("date", instantOf(r.date()));
        normalized.put("card_last_four", r.cardLastFour()); // also sent as a number at times: as read
        normalized.put("received_at", received.receivedAt());
        EventDraft event = new EventDraft(
                received.eventId(),
                topics.refunds(),
                Long.toString(r.id()),
                "brocard.refund.created",
                "refund/" + r.id(),
                received.receivedAt(),
                EventData.of(canonical.text(), received.body(), normalized),
                false);
        return new StoreRequest<>(
                kind(), r, received, Long.toString(r.id()), r.id(), canonical.fingerprint(), canonical.text(), event);
    }

    @Override
    public EventTable<RefundWebhook> table() {
        return table;
    }
}
