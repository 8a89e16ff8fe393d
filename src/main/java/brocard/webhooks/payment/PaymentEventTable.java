package brocard.webhooks.payment;

import brocard.webhooks.db.ArrayParameters;
import brocard.webhooks.ingest.EventInserts;
import brocard.webhooks.ingest.EventTable;
import brocard.webhooks.ingest.StoreRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static brocard.webhooks.ingest.ProviderDate.instantOf;
import static brocard.webhooks.ingest.ProviderDate.originalOf;

/**
 * Payment events, one row per (payment id, state), and the current state of each payment. A current-state row follows
 * the latest state, except that a late Pending never overwrites a final state.
 */
@ApplicationScoped
public class PaymentEventTable implements EventTable<PaymentWebhook> {

    private static final String INSERT_EVENTS = """
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
    private static final String STORED_FINGERPRINTS = """
            select e.payment_id, e.state_value, e.fingerprint
            from payment_event e join unnest(?::int8[], ?::int8[]) k(payment_id, state_value)
                on e.payment_id = k.payment_id and e.state_value = k.state_value""";
    /** Pending (3) replaces only Pending; any other state replaces anything. */
    private static final String UPSERT_CURRENT = """
            insert into payment (payment_id, state_value, amount, currency, last_event_id, updated_at)
            select * from unnest(?::int8[], ?::int8[], ?::numeric[], ?::text[], ?::uuid[], ?::timestamptz[])
            on conflict (payment_id) do update set state_value = excluded.state_value, amount = excluded.amount,
                currency = excluded.currency, last_event_id = excluded.last_event_id, updated_at = excluded.updated_at
            where excluded.state_value <> 3 or payment.state_value = 3""";
    private static final Comparator<StoreRequest<PaymentWebhook>> KEY_ORDER = Comparator
            .comparingLong((StoreRequest<PaymentWebhook> r) -> r.webhook().id())
            .thenComparingLong(r -> r.webhook().stateValue());

    private final Counter unknownStates;

    public PaymentEventTable(MeterRegistry registry) {
        this.unknownStates = registry.counter("brocard.webhooks.unrecognized", "field", "state.value");
    }

    @Override
    public Set<String> insertNew(Connection connection, List<StoreRequest<PaymentWebhook>> requests)
            throws SQLException {
        return EventInserts.insertReturningKeys(connection, INSERT_EVENTS, requests, KEY_ORDER, columns -> columns
                .uuids(r -> r.received().eventId())
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
    public Map<String, byte[]> storedFingerprints(Connection connection,
                                                  List<StoreRequest<PaymentWebhook>> requests) throws SQLException {
        Map<String, byte[]> stored = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(STORED_FINGERPRINTS)) {
            new ArrayParameters<>(select, requests).longs(r -> r.webhook().id()).longs(r -> r.webhook().stateValue());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getLong(1) + "/" + rows.getLong(2), rows.getBytes(3));
                }
            }
        }
        return stored;
    }

    /**
     * One current-state row per payment. Within the batch the events of one payment are reduced first, by the same
     * rule the upsert applies against the stored row: the last non-Pending event wins, else the last Pending one.
     */
    @Override
    public void afterInsert(Connection connection, List<StoreRequest<PaymentWebhook>> inserted) throws SQLException {
        if (inserted.isEmpty()) {
            return;
        }
        Map<Long, StoreRequest<PaymentWebhook>> latest = new LinkedHashMap<>();
        for (StoreRequest<PaymentWebhook> request : inserted) {
            latest.merge(request.webhook().id(), request, (earlier, later) ->
                    later.webhook().state() == PaymentState.PENDING
                            && earlier.webhook().state() != PaymentState.PENDING ? earlier : later);
            if (request.webhook().state() == PaymentState.UNKNOWN) {
                unknownStates.increment();
            }
        }
        List<StoreRequest<PaymentWebhook>> rows = new ArrayList<>(latest.values());
        rows.sort(KEY_ORDER);
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_CURRENT)) {
            new ArrayParameters<>(upsert, rows)
                    .longs(r -> r.webhook().id())
                    .longs(r -> r.webhook().stateValue())
                    .decimals(r -> r.webhook().amount())
                    .texts(r -> r.webhook().currency())
                    .uuids(r -> r.received().eventId())
                    .instants(r -> r.received().receivedAt());
            upsert.executeUpdate();
        }
    }
}
