package brocard.webhooks.payment;

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

/**
 * Payment webhooks. Each (payment id, state) is one event: Pending then Settled are two events, both published; the
 * same state again is a duplicate. Storage: {@link PaymentEventTable}.
 */
@ApplicationScoped
public class PaymentIngestor implements WebhookIngestor<PaymentWebhook> {

    private final PaymentEventTable table;
    private final TopicsConfig topics;

    public PaymentIngestor(PaymentEventTable table, TopicsConfig topics) {
        this.table = table;
        this.topics = topics;
    }

    @Override
    public WebhookKind kind() {
        return WebhookKind.PAYMENT;
    }

    @Override
    public PaymentWebhook validate(ObjectNode body, JsonFields f) {
        Long id = f.requiredLong("id");
        var amount = f.requiredDecimal("amount");
        String currency = f.requiredString("currency");
        f.optionalObject("state");
        Long stateValue = f.requiredLong("state.value");
        for (String parent : List.of("merchant", "merchant.country", "user", "user.team", "card")) {
            f.optionalObject(parent);
        }
        PaymentWebhook payment = new PaymentWebhook(
                id == null ? 0 : id,
                amount,
                currency,
                stateValue == null ? 0 : stateValue,
                f.optionalString("state.label"),
                f.optionalString("decline"),
                f.optionalBoolean("is_micro"),
                f.optionalLong("merchant.id"),
                f.optionalText("merchant.mcc"),
                f.optionalString("merchant.name"),
                f.optionalString("merchant.descriptor"),
                f.optionalString("merchant.country.code"),
                f.optionalLong("card.id"),
                f.optionalText("card.last_four"),
                f.optionalLong("user.id"),
                f.optionalString("user.uuid"),
                f.optionalLong("user.team.id"),
                f.requiredDate("date"),
                f.optionalDate("date_received"),
                f.optionalDate("date_final_state"));
        f.throwIfInvalid();
        return payment;
    }

    @Override
    public StoreRequest<PaymentWebhook> prepare(PaymentWebhook p, ReceivedWebhook received, CanonicalBody canonical) {
        EventDraft event = new EventDraft(
                received.eventId(),
                topics.payments(),
                Long.toString(p.id()),
                "brocard.payment." + p.state().eventName(),
                "payment/" + p.id(),
                received.receivedAt(),
                EventData.of(canonical.text(), received.body(), normalized(p, received)),
                false);
        return new StoreRequest<>(
                kind(), p, received, p.dedupKey(), p.id(), canonical.fingerprint(), canonical.text(), event);
    }

    @Override
    public EventTable<PaymentWebhook> table() {
        return table;
    }

    private static Map<String, Object> normalized(PaymentWebhook p, ReceivedWebhook received) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("payment_id", p.id());
        n.put("state", p.state().eventName());
        n.put("state_value", p.stateValue());
        n.put("amount", p.amount().toPlainString());
        n.put("currency", p.currency());
        n.put("date", instantOf(p.date()));
        n.put("date_received", instantOf(p.dateReceived()));
        n.put("date_final_state", instantOf(p.dateFinalState()));
        // Fields Brocard may send loosely typed (1/"1"/true, 7311/"7311"), as read: consumers need not guess.
        n.put("is_micro", p.isMicro());
        n.put("merchant_mcc", p.merchantMcc());
        n.put("card_last_four", p.cardLastFour());
        n.put("received_at", received.receivedAt());
        return n;
    }
}
