package brocard.webhooks.payment;

import brocard.webhooks.db.ArrayParameters;
import brocard.webhooks.inbound.WebhookMetricNames;
import brocard.webhooks.ingest.EventInserts;
import brocard.webhooks.ingest.EventTable;
import brocard.webhooks.ingest.StoreRequest;
import brocard.webhooks.outbox.EventData;
import brocard.webhooks.outbox.EventDraft;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static brocard.webhooks.ingest.ProviderDate.instantOf;
import static brocard.webhooks.ingest.ProviderDate.originalOf;

/**
 * Payment events, one row per (payment id, state), and the current state of each payment, decided by precedence
 * rather than arrival order ({@link CurrentPaymentState}).
 */
@ApplicationScoped
public class PaymentEventTable implements EventTable<PaymentWebhook> {

    private static final String INSERT_EVENTS =
            """
            insert into payment_event (event_id, payment_id, state_value, state_label, amount, currency, decline,
                is_micro, merchant_id, merchant_mcc, merchant_name, merchant_descriptor, merchant_country, card_id,
                card_last_four, user_id, user_uuid, team_id, provider_date, provider_date_at, date_received,
                date_received_at, date_final_state, date_final_state_at, body, fingerprint, received_at)
            select * from unnest(?::uuid[], ?::int8[], ?::int8[], ?::text[], ?::numeric[], ?::text[], ?::text[],
                ?::bool[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::int8[],
                ?::text[], ?::int8[], ?::text[], ?::timestamptz[], ?::text[], ?::timestamptz[], ?::text[],
                ?::timestamptz[], ?::jsonb[], ?::bytea[], ?::timestamptz[])
            on conflict (payment_id, state_value) do nothing
            returning payment_id, state_value""";
    private static final String STORED_FINGERPRINTS =
            """
            select e.payment_id, e.state_value, e.fingerprint
            from payment_event e join unnest(?::int8[], ?::int8[]) k(payment_id, state_value)
                on e.payment_id = k.payment_id and e.state_value = k.state_value""";
    /** The stored current states of the batch's payments, locked until the batch commits. */
    private static final String LOCK_CURRENT =
            """
            select payment_id, state_value, amount, currency, last_event_id, updated_at, date_final_state_at
            from payment where payment_id = any(?::int8[]) order by payment_id for update""";
    /** Payments seen for the first time; a concurrent batch may have inserted one meanwhile (not returned). */
    private static final String INSERT_CURRENT =
            """
            insert into payment (payment_id, state_value, amount, currency, last_event_id, updated_at,
                date_final_state_at)
            select * from unnest(?::int8[], ?::int8[], ?::numeric[], ?::text[], ?::uuid[], ?::timestamptz[],
                ?::timestamptz[])
            on conflict (payment_id) do nothing
            returning payment_id""";

    private static final String UPDATE_CURRENT =
            """
            update payment p set state_value = u.state_value, amount = u.amount, currency = u.currency,
                last_event_id = u.last_event_id, updated_at = u.updated_at, date_final_state_at = u.date_final_state_at
            from unnest(?::int8[], ?::int8[], ?::numeric[], ?::text[], ?::uuid[], ?::timestamptz[], ?::timestamptz[])
                as u(payment_id, state_value, amount, currency, last_event_id, updated_at, date_final_state_at)
            where p.payment_id = u.payment_id""";
    private static final Comparator<StoreRequest<PaymentWebhook>> KEY_ORDER = Comparator.comparingLong(
                    (StoreRequest<PaymentWebhook> r) -> r.webhook().id())
            .thenComparingLong(r -> r.webhook().stateValue());

    private final Counter unknownStates;

    public PaymentEventTable(MeterRegistry registry) {
        this.unknownStates = registry.counter(WebhookMetricNames.UNRECOGNIZED, "field", "state.value");
    }

    @Override
    public Set<String> insertNew(Connection connection, List<StoreRequest<PaymentWebhook>> requests)
            throws SQLException {
        return EventInserts.insertReturningKeys(
                connection,
                INSERT_EVENTS,
                requests,
                KEY_ORDER,
                columns -> columns.uuids(r -> r.received().eventId())
                        .longs(r -> r.webhook().id())
                        .longs(r -> r.webhook().stateValue())
                        .texts(r -> r.webhook().stateLabel())
                        .decimals(r -> r.webhook().amount())
                        .texts(r -> r.webhook().currency())
                        .texts(r -> r.webhook().decline())
                        .booleans(r -> r.webhook().isMicro())
                        .longs(r -> r.webhook().merchantId())
                        .texts(r -> r.webhook().merchantMcc())
                        .texts(r -> r.webhook().merchantName())
                        .texts(r -> r.webhook().merchantDescriptor())
                        .texts(r -> r.webhook().merchantCountry())
                        .longs(r -> r.webhook().cardId())
                        .texts(r -> r.webhook().cardLastFour())
                        .longs(r -> r.webhook().userId())
                        .texts(r -> r.webhook().userUuid())
                        .longs(r -> r.webhook().teamId())
                        .texts(r -> originalOf(r.webhook().date()))
                        .instants(r -> instantOf(r.webhook().date()))
                        .texts(r -> originalOf(r.webhook().dateReceived()))
                        .instants(r -> instantOf(r.webhook().dateReceived()))
                        .texts(r -> originalOf(r.webhook().dateFinalState()))
                        .instants(r -> instantOf(r.webhook().dateFinalState()))
                        .texts(StoreRequest::storedBody)
                        .bytes(StoreRequest::fingerprint)
                        .instants(r -> r.received().receivedAt()),
                row -> row.getLong(1) + "/" + row.getLong(2));
    }

    @Override
    public Map<String, byte[]> storedFingerprints(Connection connection, List<StoreRequest<PaymentWebhook>> requests)
            throws SQLException {
        Map<String, byte[]> stored = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(STORED_FINGERPRINTS)) {
            new ArrayParameters<>(select, requests).longs(r -> r.webhook().id()).longs(r -> r.webhook()
                    .stateValue());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getLong(1) + "/" + rows.getLong(2), rows.getBytes(3));
                }
            }
        }
        return stored;
    }

    /**
     * The current state of each payment the new events belong to ({@link CurrentPaymentState}), and each event's
     * data completed with the current state it results in. The stored rows are locked first ({@code for update}, in
     * payment id order, so concurrent batches cannot deadlock), so the states read here cannot change before this
     * batch commits, on this replica or another, whatever serializes the batches.
     */
    @Override
    public List<EventDraft> afterInsert(Connection connection, List<StoreRequest<PaymentWebhook>> inserted)
            throws SQLException {
        if (inserted.isEmpty()) {
            return List.of();
        }
        for (StoreRequest<PaymentWebhook> request : inserted) {
            if (request.webhook().state() == PaymentState.UNKNOWN) {
                unknownStates.increment();
            }
        }
        Set<Long> paymentIds = new TreeSet<>();
        inserted.forEach(r -> paymentIds.add(r.webhook().id()));
        Map<Long, CurrentPaymentState> stored = lockStored(connection, paymentIds);
        Reduction result = apply(inserted, stored);
        Map<Long, CurrentPaymentState> firstSeen = new TreeMap<>(result.current());
        firstSeen.keySet().removeAll(stored.keySet());
        Set<Long> raced = insertFirstSeen(connection, firstSeen.values());
        if (!raced.isEmpty()) {
            // Another batch stored these payments after our look-up (it has committed: our insert waited for it).
            stored.putAll(lockStored(connection, raced));
            result = apply(inserted, stored);
        }
        List<CurrentPaymentState> changed = result.current().values().stream()
                .filter(state -> stored.containsKey(state.paymentId()) && state != stored.get(state.paymentId()))
                .sorted(Comparator.comparingLong(CurrentPaymentState::paymentId))
                .toList();
        if (!changed.isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement(UPDATE_CURRENT)) {
                bindStates(update, changed);
                update.executeUpdate();
            }
        }
        return result.events();
    }

    /** The outcome of applying a batch's events in arrival order: each payment's state, each event's data. */
    private record Reduction(Map<Long, CurrentPaymentState> current, List<EventDraft> events) {}

    private static Reduction apply(List<StoreRequest<PaymentWebhook>> inserted, Map<Long, CurrentPaymentState> stored) {
        Map<Long, CurrentPaymentState> current = new HashMap<>(stored);
        List<EventDraft> events = new ArrayList<>(inserted.size());
        for (StoreRequest<PaymentWebhook> request : inserted) {
            CurrentPaymentState next = CurrentPaymentState.of(
                    request.webhook(),
                    request.received().eventId(),
                    request.received().receivedAt());
            CurrentPaymentState before = current.get(next.paymentId());
            boolean changes = before == null || before.isReplacedBy(next);
            CurrentPaymentState after = changes ? next : before;
            current.put(next.paymentId(), after);
            events.add(withCurrentState(request.event(), after, changes));
        }
        return new Reduction(current, events);
    }

    /** {@code normalized.current_state}, {@code current_state_value}, {@code current_state_changed}. */
    private static EventDraft withCurrentState(EventDraft event, CurrentPaymentState current, boolean changed) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("current_state", current.state().eventName());
        members.put("current_state_value", current.stateValue());
        members.put("current_state_changed", changed);
        return new EventDraft(
                event.eventId(),
                event.topic(),
                event.key(),
                event.type(),
                event.subject(),
                event.time(),
                EventData.withNormalized(event.data(), members),
                event.containsSecret());
    }

    private static Map<Long, CurrentPaymentState> lockStored(Connection connection, Set<Long> paymentIds)
            throws SQLException {
        Map<Long, CurrentPaymentState> stored = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(LOCK_CURRENT)) {
            new ArrayParameters<>(select, List.copyOf(paymentIds)).longs(id -> id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Timestamp dateFinalState = rows.getTimestamp(7);
                    stored.put(
                            rows.getLong(1),
                            new CurrentPaymentState(
                                    rows.getLong(1),
                                    rows.getLong(2),
                                    rows.getBigDecimal(3),
                                    rows.getString(4),
                                    rows.getObject(5, UUID.class),
                                    rows.getTimestamp(6).toInstant(),
                                    dateFinalState == null ? null : dateFinalState.toInstant()));
                }
            }
        }
        return stored;
    }

    /** @return the payments a concurrent batch inserted first (their rows were left alone) */
    private static Set<Long> insertFirstSeen(Connection connection, Collection<CurrentPaymentState> states)
            throws SQLException {
        Set<Long> raced = new TreeSet<>();
        if (states.isEmpty()) {
            return raced;
        }
        states.forEach(state -> raced.add(state.paymentId()));
        try (PreparedStatement insert = connection.prepareStatement(INSERT_CURRENT)) {
            bindStates(insert, List.copyOf(states));
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    raced.remove(rows.getLong(1));
                }
            }
        }
        return raced;
    }

    private static void bindStates(PreparedStatement statement, List<CurrentPaymentState> states) throws SQLException {
        new ArrayParameters<>(statement, states)
                .longs(CurrentPaymentState::paymentId)
                .longs(CurrentPaymentState::stateValue)
                .decimals(CurrentPaymentState::amount)
                .texts(CurrentPaymentState::currency)
                .uuids(CurrentPaymentState::eventId)
                .instants(CurrentPaymentState::receivedAt)
                .instants(CurrentPaymentState::dateFinalStateAt);
    }
}
