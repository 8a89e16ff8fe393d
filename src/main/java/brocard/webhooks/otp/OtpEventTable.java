package brocard.webhooks.otp;

import brocard.webhooks.config.OtpConfig;
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
        return EventInserts.insertReturningKeys(connection, INSERT_EVENTS, requests,
                Comparator.comparingLong(r -> r.webhook().id()), columns -> columns
                        .uuids(r -> r.received().eventId())
                        .longs(r -> r.webhook().id())
                        .longs(r -> r.webhook().recipientId())
                        .decimals(r -> r.webhook().amount())
                        .texts(r -> r.webhook().currency())
                        .longs(r -> r.webhook().cardId())
                        .texts(r -> r.webhook().cardLastFour())
                        .booleans(r -> r.webhook().password() != null)
                        .texts(StoreRequest::storedBody)
                        .bytes(StoreRequest::fingerprint)
                        .instants(r -> r.received().receivedAt())
                        .instants(r -> r.received().receivedAt().plus(config.secretTtl())),
                row -> Long.toString(row.getLong(1)));
    }

    @Override
    public Map<String, byte[]> storedFingerprints(Connection connection, List<StoreRequest<OtpWebhook>> requests)
            throws SQLException {
        return StoredFingerprints.byId(connection, STORED_FINGERPRINTS, requests, r -> r.webhook().id());
    }
}
