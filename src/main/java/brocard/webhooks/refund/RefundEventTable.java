package brocard.webhooks.refund;

import brocard.webhooks.db.SqlArrays;
import brocard.webhooks.ingest.EventTable;
import brocard.webhooks.ingest.StoreRequest;
import brocard.webhooks.ingest.StoredFingerprints;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static brocard.webhooks.ingest.ProviderDate.instantOf;
import static brocard.webhooks.ingest.ProviderDate.originalOf;

/** Refund events: one row per refund id (a refund does not change once created). */
@ApplicationScoped
public class RefundEventTable implements EventTable<RefundWebhook> {

    private static final String INSERT_EVENTS = """
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
        List<StoreRequest<RefundWebhook>> rows = new ArrayList<>(requests);
        rows.sort(Comparator.comparingLong(r -> r.webhook().id()));
        SqlArrays a = new SqlArrays(connection);
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENTS)) {
            int i = 0;
            insert.setArray(++i, a.uuids(rows, r -> r.received().eventId()));
            insert.setArray(++i, a.longs(rows, r -> r.webhook().id()));
            insert.setArray(++i, a.decimals(rows, r -> r.webhook().amount()));
            insert.setArray(++i, a.texts(rows, r -> r.webhook().currency()));
            insert.setArray(++i, a.longs(rows, r -> r.webhook().cardId()));
            insert.setArray(++i, a.texts(rows, r -> r.webhook().cardLastFour()));
            insert.setArray(++i, a.longs(rows, r -> r.webhook().userId()));
            insert.setArray(++i, a.texts(rows, r -> r.webhook().userUuid()));
            insert.setArray(++i, a.longs(rows, r -> r.webhook().teamId()));
            insert.setArray(++i, a.texts(rows, r -> originalOf(r.webhook().date())));
            insert.setArray(++i, a.instants(rows, r -> instantOf(r.webhook().date())));
            insert.setArray(++i, a.texts(rows, StoreRequest::storedBody));
            insert.setArray(++i, a.bytes(rows, StoreRequest::fingerprint));
            insert.setArray(++i, a.instants(rows, r -> r.received().receivedAt()));
            try (ResultSet keys = insert.executeQuery()) {
                while (keys.next()) {
                    inserted.add(Long.toString(keys.getLong(1)));
                }
            }
        }
        return inserted;
    }

    @Override
    public Map<String, byte[]> storedFingerprints(Connection connection, List<StoreRequest<RefundWebhook>> requests)
            throws SQLException {
        return StoredFingerprints.byId(connection, STORED_FINGERPRINTS, requests, r -> r.webhook().id());
    }
}
