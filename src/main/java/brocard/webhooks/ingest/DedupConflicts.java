package brocard.webhooks.ingest;

import brocard.webhooks.db.ArrayParameters;
import brocard.webhooks.inbound.WebhookKind;
import brocard.webhooks.inbound.WebhookMetricNames;
import brocard.webhooks.json.Json;
import brocard.webhooks.security.SecretFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Webhooks whose dedup key was already stored with a different body. The first body stays and Brocard is answered
 * {@code duplicate}; the later body is kept in {@code dedup_conflict} (secrets removed) and counted, for an operator.
 */
@ApplicationScoped
public class DedupConflicts {

    private static final Logger LOG = Logger.getLogger(DedupConflicts.class);
    private static final String INSERT =
            """
            insert into dedup_conflict (webhook_type, dedup_key, body, received_at)
            select * from unnest(?::text[], ?::text[], ?::jsonb[], ?::timestamptz[])
            returning id""";

    private final Map<WebhookKind, Counter> counters = new EnumMap<>(WebhookKind.class);

    public DedupConflicts(MeterRegistry registry) {
        for (WebhookKind kind : WebhookKind.values()) {
            counters.put(kind, registry.counter(WebhookMetricNames.DEDUP_CONFLICTS, "type", kind.wireName()));
        }
    }

    /** Records the conflicting requests in the batch's transaction. */
    public void record(Connection connection, List<StoreRequest<?>> conflicting) throws SQLException {
        if (conflicting.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            new ArrayParameters<>(insert, conflicting)
                    .texts(r -> r.kind().wireName())
                    .texts(StoreRequest::dedupKey)
                    .texts(r ->
                            Json.write(SecretFields.withoutSecrets(r.received().body())))
                    .instants(r -> r.received().receivedAt());
            try (ResultSet ids = insert.executeQuery()) {
                for (StoreRequest<?> request : conflicting) {
                    ids.next();
                    counters.get(request.kind()).increment();
                    LOG.warnf(
                            "Webhook %s %s replayed with a different body; kept the first (conflict %d)",
                            request.kind().wireName(), request.dedupKey(), ids.getLong(1));
                }
            }
        }
    }
}
