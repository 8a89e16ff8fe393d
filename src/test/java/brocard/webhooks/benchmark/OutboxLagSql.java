package brocard.webhooks.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The benchmark's only knowledge of the service's tables: commit → Kafka-ack lag of a run's payment events, from the
 * outbox's own timestamps. A second opinion next to the Kafka-based lag; the write path is being reworked (published
 * rows may be deleted instead of marked), so when this query stops fitting, adapt or delete it here: nothing else
 * depends on it, and a failing query only prints "n/a".
 */
final class OutboxLagSql {

    private static final String LAG =
            """
            select count(*) as created, count(published_at) as published,
                   percentile_cont(0.5) within group (order by extract(epoch from published_at - created_at) * 1000) as p50,
                   percentile_cont(0.99) within group (order by extract(epoch from published_at - created_at) * 1000) as p99,
                   max(extract(epoch from published_at - created_at) * 1000) as max
            from outbox_event
            where topic = 'brocard.payments' and created_at >= ? and created_at < ?""";

    private OutboxLagSql() {}

    /** One line: rows created in [from, to), how many are marked published, and their lag p50 / p99 / max. */
    static String describe(String jdbcUrl, String user, Instant from, Instant to) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
                PreparedStatement query = connection.prepareStatement(LAG)) {
            query.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            query.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (ResultSet r = query.executeQuery()) {
                r.next();
                return String.format(
                        Locale.ROOT,
                        "%d rows, %d marked published; created_at -> published_at "
                                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                        r.getLong("created"),
                        r.getLong("published"),
                        r.getDouble("p50"),
                        r.getDouble("p99"),
                        r.getDouble("max"));
            }
        } catch (SQLException e) {
            return "n/a (" + e.getMessage().lines().findFirst().orElse("") + ")";
        }
    }
}
