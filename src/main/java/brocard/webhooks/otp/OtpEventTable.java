package brocard.webhooks.otp;

import brocard.webhooks.config.OtpConfig;
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

/**
 * 3-D Secure code events: one row per code id, with neither the code nor the password in any form (the stored body
 * is the one without secrets; see {@link OtpIngestor}).
 */
@ApplicationScoped
public class OtpEventTable implements EventTable<OtpWebhook> {

    private static final String INSERT_EVENTS = """
            insert into otp_code_event (event_id, otp_id, recipient_id, amount, currency, card_id, card_last_four,
                has_password, body, fingerprint, received_at, expires_at)
            select * from unnest(?::uuid[], ?::int8[], ?::int8[], ?::numeric[], ?::text[], ?::int8[], ?::text[],
                ?::bool[], ?::jsonb[], ?::bytea[], ?::timestamptz[], ?::timestamptz[])
            on conflict (otp_id) do nothing
            returning otp_id""";
    private static final String STORED_FINGERPRINTS =
            "select otp_id, fingerprint from otp_code_event where otp_id = any(?)";

    private final OtpConfig config;

    public OtpEventTable(OtpConfig config) {
        this.config = config;
    }

    @Override
    public Set<String> insertNew(Connection connection, List<StoreRequest<OtpWebhook>> requests)
            throws SQLException {
        List<StoreRequest<OtpWebhook>> rows = new ArrayList<>(requests);
        rows.sort(Comparator.comparingLong(r -> r.webhook().id()));
        SqlArrays a = new SqlArrays(connection);
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENTS)) {
            int i = 0;
            insert.setArray(++i, a.uuids(rows, r -> r.received().eventId()));
            insert.setArray(++i, a.longs(rows, r -> r.webhook().id()));
            insert.setArray(++i, a.longs(rows, r -> r.webhook().recipientId()));
            insert.setArray(++i, a.decimals(rows, r -> r.webhook().amount()));
            insert.setArray(++i, a.texts(rows, r -> r.webhook().currency()));
            insert.setArray(++i, a.longs(rows, r -> r.webhook().cardId()));
            insert.setArray(++i, a.texts(rows, r -> r.webhook().cardLastFour()));
            insert.setArray(++i, a.booleans(rows, r -> r.webhook().password() != null));
            insert.setArray(++i, a.texts(rows, StoreRequest::storedBody));
            insert.setArray(++i, a.bytes(rows, StoreRequest::fingerprint));
            insert.setArray(++i, a.instants(rows, r -> r.received().receivedAt()));
            insert.setArray(++i, a.instants(rows, r -> r.received().receivedAt().plus(config.secretTtl())));
            try (ResultSet keys = insert.executeQuery()) {
                while (keys.next()) {
                    inserted.add(Long.toString(keys.getLong(1)));
                }
            }
        }
        return inserted;
    }

    @Override
    public Map<String, byte[]> storedFingerprints(Connection connection, List<StoreRequest<OtpWebhook>> requests)
            throws SQLException {
        return StoredFingerprints.byId(connection, STORED_FINGERPRINTS, requests, r -> r.webhook().id());
    }
}
