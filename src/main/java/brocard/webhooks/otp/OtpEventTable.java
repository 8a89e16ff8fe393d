package brocard.webhooks.otp;

import brocard.webhooks.config.OtpConfig;
import brocard.webhooks.db.ArrayParameters;
import brocard.webhooks.ingest.EventInserts;
import brocard.webhooks.ingest.EventTable;
import brocard.webhooks.ingest.StoreRequest;
import brocard.webhooks.outbox.EventDraft;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 3-D Secure code events: one row per code id and code, with neither the code nor the password in clear (the stored
 * body is the one without secrets, the code is only a keyed fingerprint; see {@link OtpIngestor}). A second row for a
 * code id is a re-issued code; the dedup key is {@code <otp id>/<code fingerprint>} ({@link #dedupKey}).
 */
@ApplicationScoped
public class OtpEventTable implements EventTable<OtpWebhook> {

    private static final String INSERT_EVENTS =
            """
            insert into otp_code_event (event_id, otp_id, recipient_id, amount, currency, card_id, card_last_four,
                has_password, body, fingerprint, received_at, expires_at, code_fingerprint)
            select * from unnest(?::uuid[], ?::int8[], ?::int8[], ?::numeric[], ?::text[], ?::int8[], ?::text[],
                ?::bool[], ?::jsonb[], ?::bytea[], ?::timestamptz[], ?::timestamptz[], ?::bytea[])
            on conflict (otp_id, coalesce(code_fingerprint, '\\x'::bytea)) do nothing
            returning otp_id, code_fingerprint""";
    private static final String STORED_FINGERPRINTS =
            """
            select otp_id, code_fingerprint, fingerprint from otp_code_event
            where (otp_id, code_fingerprint) in (select * from unnest(?::int8[], ?::bytea[]))""";

    private final OtpConfig config;
    private final Counter reissued;

    public OtpEventTable(OtpConfig config, MeterRegistry registry) {
        this.config = config;
        this.reissued = Counter.builder(OtpMetricNames.CODES_REISSUED)
                .description("3DS codes stored for a code id that already had another code (a re-issued code)")
                .register(registry);
    }

    /** The dedup key of one code: the code id and the short hex of its fingerprint (never the code). */
    public static String dedupKey(long otpId, byte[] codeFingerprint) {
        return otpId + "/" + (codeFingerprint == null ? "-" : CodeFingerprint.shortHex(codeFingerprint));
    }

    @Override
    public Set<String> insertNew(Connection connection, List<StoreRequest<OtpWebhook>> requests) throws SQLException {
        return EventInserts.insertReturningKeys(
                connection,
                INSERT_EVENTS,
                requests,
                Comparator.comparingLong(r -> r.webhook().id()),
                columns -> columns.uuids(r -> r.received().eventId())
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
                        .instants(r -> r.received().receivedAt().plus(config.secretTtl()))
                        .bytes(r -> r.webhook().codeFingerprint()),
                row -> dedupKey(row.getLong(1), row.getBytes(2)));
    }

    @Override
    public Map<String, byte[]> storedFingerprints(Connection connection, List<StoreRequest<OtpWebhook>> requests)
            throws SQLException {
        Map<String, byte[]> stored = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(STORED_FINGERPRINTS)) {
            new ArrayParameters<>(select, requests).longs(r -> r.webhook().id()).bytes(r -> r.webhook()
                    .codeFingerprint());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.put(dedupKey(rows.getLong(1), rows.getBytes(2)), rows.getBytes(3));
                }
            }
        }
        return stored;
    }

    /**
     * Counts the new rows that are re-issued codes: their code id already had a row. Counted in the batch's
     * transaction, like dedup conflicts (a batch rolled back and retried may count twice; it is an operator's gauge
     * of how often cardholders ask for a new code, not a ledger).
     */
    @Override
    public List<EventDraft> afterInsert(Connection connection, List<StoreRequest<OtpWebhook>> inserted)
            throws SQLException {
        if (inserted.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement select = connection.prepareStatement(
                """
                select count(*) from unnest(?::int8[], ?::uuid[], ?::timestamptz[]) as n(otp_id, event_id, received_at)
                where exists (select 1 from otp_code_event e where e.otp_id = n.otp_id and e.event_id <> n.event_id
                                  and e.received_at <= n.received_at)""")) {
            new ArrayParameters<>(select, inserted)
                    .longs(r -> r.webhook().id())
                    .uuids(r -> r.received().eventId())
                    .instants(r -> r.received().receivedAt());
            try (ResultSet count = select.executeQuery()) {
                count.next();
                reissued.increment(count.getLong(1));
            }
        }
        return inserted.stream().map(StoreRequest::event).toList(); // published as prepared
    }
}
