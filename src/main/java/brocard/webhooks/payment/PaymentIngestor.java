package brocard.webhooks.payment;

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

import static brocard.webhooks.ingest.ProviderDate.instantOf;
import static brocard.webhooks.ingest.ProviderDate.originalOf;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Payment webhooks. Each (payment id, state) is one event: Pending then Settled are two events, both published; the
 * same state again is a duplicate. A current-state row follows the latest state, except that a late Pending never
 * overwrites a final state.
 */
@ApplicationScoped
public class PaymentIngestor implements WebhookIngestor<PaymentWebhook> {

    private static final String INSERT_EVENT = """
            insert into payment_event (event_id, payment_id, state_value, state_label, amount, currency, decline,
                is_micro, merchant_id, merchant_mcc, merchant_name, merchant_descriptor, merchant_country, card_id,
                card_last_four, user_id, user_uuid, team_id, provider_date, provider_date_at, date_received,
                date_received_at, date_final_state, date_final_state_at, body, fingerprint, received_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            on conflict (payment_id, state_value) do nothing
            returning event_id""";
    private static final String STORED_FINGERPRINT =
            "select fingerprint from payment_event where payment_id = ? and state_value = ?";
    /** Pending (3) replaces only Pending; any other state replaces anything. */
    private static final String UPSERT_CURRENT = """
            insert into payment (payment_id, state_value, amount, currency, last_event_id, updated_at)
            values (?, ?, ?, ?, ?, ?)
            on conflict (payment_id) do update set state_value = excluded.state_value, amount = excluded.amount,
                currency = excluded.currency, last_event_id = excluded.last_event_id, updated_at = excluded.updated_at
            where excluded.state_value <> 3 or payment.state_value = 3""";

    private final Jdbc jdbc;
    private final OutboxWriter outbox;
    private final DuplicateHandler duplicates;
    private final BodyFingerprint fingerprint;
    private final TopicsConfig topics;
    private final MeterRegistry registry;

    public PaymentIngestor(Jdbc jdbc, OutboxWriter outbox, DuplicateHandler duplicates, BodyFingerprint fingerprint,
                           TopicsConfig topics, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.duplicates = duplicates;
        this.fingerprint = fingerprint;
        this.topics = topics;
        this.registry = registry;
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
        PaymentWebhook payment = new PaymentWebhook(id == null ? 0 : id, amount, currency,
                stateValue == null ? 0 : stateValue, f.optionalString("state.label"), f.optionalString("decline"),
                f.optionalBoolean("is_micro"), f.optionalLong("merchant.id"), f.optionalString("merchant.mcc"),
                f.optionalString("merchant.name"), f.optionalString("merchant.descriptor"),
                f.optionalString("merchant.country.code"), f.optionalLong("card.id"),
                f.optionalString("card.last_four"), f.optionalLong("user.id"), f.optionalString("user.uuid"),
                f.optionalLong("user.team.id"), f.requiredDate("date"), f.optionalDate("date_received"),
                f.optionalDate("date_final_state"));
        f.throwIfInvalid();
        return payment;
    }

    @Override
    @Transactional
    public IngestResult store(PaymentWebhook p, ReceivedWebhook received) {
        byte[] bodyFingerprint = fingerprint.of(received.body());
        boolean inserted = !jdbc.query(INSERT_EVENT, row -> row.getObject(1), received.eventId(), p.id(),
                p.stateValue(), p.stateLabel(), p.amount(), p.currency(), p.decline(), p.isMicro(), p.merchantId(),
                p.merchantMcc(), p.merchantName(), p.merchantDescriptor(), p.merchantCountry(), p.cardId(),
                p.cardLastFour(), p.userId(), p.userUuid(), p.teamId(), originalOf(p.date()), instantOf(p.date()),
                originalOf(p.dateReceived()), instantOf(p.dateReceived()), originalOf(p.dateFinalState()),
                instantOf(p.dateFinalState()), WebhookJson.write(received.body()), bodyFingerprint,
                received.receivedAt()).isEmpty();
        if (!inserted) {
            byte[] stored = jdbc.query(STORED_FINGERPRINT, row -> row.getBytes(1), p.id(), p.stateValue()).get(0);
            return duplicates.handle(kind(), p.dedupKey(), p.id(), stored, bodyFingerprint, received);
        }
        jdbc.update(UPSERT_CURRENT, p.id(), p.stateValue(), p.amount(), p.currency(), received.eventId(),
                received.receivedAt());
        if (p.state() == PaymentState.UNKNOWN) {
            registry.counter("brocard.webhooks.unrecognized", "field", "state.value").increment();
        }
        outbox.enqueue(new EventDraft(received.eventId(), topics.payments(), Long.toString(p.id()),
                "brocard.payment." + p.state().eventName(), "payment/" + p.id(), received.receivedAt(),
                EventData.of(received.body(), normalized(p, received)), false));
        return IngestResult.accepted(kind().wireName(), p.id());
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
        n.put("received_at", received.receivedAt());
        return n;
    }
}
