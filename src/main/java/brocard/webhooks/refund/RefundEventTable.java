package brocard.webhooks.refund;

import brocard.webhooks.ingest.EventInserts;
import brocard.webhooks.ingest.EventTable;
import brocard.webhooks.ingest.StoreRequest;
import brocard.webhooks.ingest.StoredFingerprints;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static brocard.webhooks.ingest.ProviderDate.instantOf;
import static brocard.webhooks.ingest.ProviderDate.originalOf;

/** Refund events: one row per refund id (a refund does not change once created). */
@ApplicationScoped
public class RefundEventTable implements EventTable<RefundWebhook> {

    private static final String INSERT_EVENTS =
            """
            insert into refund_event (event_id, refund_id, amount, currency, card_id, card_last_four, user_id,
                user_uuid, team_id, provider_date, provider_date_at, body, fingerprint, received_at)
            select * from unnest(?::uuid[], ?::int8[], ?::numeric[], ?::text[], ?::int8[], ?::text[], ?::int8[],
                ?::text[], ?::int8[], ?::text[], ?::timestamptz[], ?::jsonb[], ?::bytea[], ?::timestamptz[])
            on conflict (refund_id) do nothing
            returning refund_id""";
    private static final String STORED_FINGERPRINTS =
            "select refund_id, fingerprint from refund_event where refund_id = any(?)";

    @Override
    public Set<String> insertNew(Connection connection, List<StoreRequest<RefundWebhook>> requests)
            throws SQLException {
        return EventInserts.insertReturningKeys(
                connection,
                INSERT_EVENTS,
                requests,
                Comparator.comparingLong(r -> r.webhook().id()),
                columns -> columns.uuids(r -> r.received().eventId())
                        .longs(r -> r.webhook().id())
                        .decimals(r -> r.webhook().amount())
                        .texts(r -> r.webhook().currency())
                        .longs(r -> r.webhook().cardId())
                        .texts(r -> r.webhook().cardLastFour())
                        .longs(r -> r.webhook().userId())
                        .texts(r -> r.webhook().userUuid())
                        .longs(r -> r.webhook().teamId())
                        .texts(r -> originalOf(r.webhook().date()))
                        .instants(r -> instantOf(r.webhook().date()))
                        .texts(StoreRequest::storedBody)
                        .bytes(StoreRequest::fingerprint)
                        .instants(r -> r.received().receivedAt()),
                row -> Long.toString(row.getLong(1)));
    }

    @Override
    public Map<String, byte[]> storedFingerprints(Connection connection, List<StoreRequest<RefundWebhook>> requests)
            throws SQLException {
        return StoredFingerprints.byId(
                connection, STORED_FINGERPRINTS, requests, r -> r.webhook().id());
    }
}
