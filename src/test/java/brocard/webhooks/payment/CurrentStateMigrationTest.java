package brocard.webhooks.payment;

import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The V7 migration recomputed every stored current state in SQL; it must pick what {@link CurrentPaymentState} picks.
 * Its query (the part before the update) runs here, as written in the migration, over random event histories.
 */
@QuarkusTest
class CurrentStateMigrationTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Inject
    Rows rows;

    @Test
    void theMigrationsQueryPicksWhatTheRulePicks() throws IOException {
        Random random = new Random(7);
        long[] values = {1, 2, 3, 4, 9};
        Map<Long, CurrentPaymentState> expected = new HashMap<>();
        List<Long> ids = new ArrayList<>();
        for (int payment = 0; payment < 60; payment++) {
            long id = Samples.nextId();
            ids.add(id);
            CurrentPaymentState current = null;
            List<Long> used = new ArrayList<>();
            int events = 1 + random.nextInt(4);
            for (int i = 0; i < events; i++) {
                long value = values[random.nextInt(values.length)];
                if (used.contains(value)) {
                    continue; // one event per (payment, state)
                }
                used.add(value);
                Instant receivedAt = T0.plusSeconds(10L * i + random.nextInt(5));
                Instant dateFinalState = random.nextInt(3) == 0 ? null : T0.plusSeconds(random.nextInt(40));
                UUID eventId = UUID.randomUUID();
                rows.update(
                        """
                        insert into payment_event (event_id, payment_id, state_value, amount, currency, body, fingerprint,
                            received_at, date_final_state_at)
                        values (?, ?, ?, 1, 'USD', '{}'::jsonb, '\\x00'::bytea, ?, ?)""",
                        eventId,
                        id,
                        value,
                        Timestamp.from(receivedAt),
                        dateFinalState == null ? null : Timestamp.from(dateFinalState));
                CurrentPaymentState next =
                        new CurrentPaymentState(id, value, BigDecimal.ONE, "USD", eventId, receivedAt, dateFinalState);
                current = current == null || current.isReplacedBy(next) ? next : current;
            }
            expected.put(id, current);
        }
        String query =
                "select payment_id, event_id from (" + migrationQuery() + ") c where payment_id = any(?::int8[])";
        Map<Long, Object> picked = new HashMap<>();
        for (Map<String, Object> row : rows.query(query, (Object) ids.stream()
                .map(String::valueOf)
                .reduce((a, b) -> a + "," + b)
                .map(s -> "{" + s + "}")
                .orElseThrow())) {
            picked.put((Long) row.get("payment_id"), row.get("event_id"));
        }
        for (long id : ids) {
            assertEquals(expected.get(id).eventId(), picked.get(id), "payment " + id);
        }
    }

    /** The {@code select} inside {@code with current_by_precedence as (…)} of the V7 migration. */
    private static String migrationQuery() throws IOException {
        try (InputStream in = CurrentStateMigrationTest.class.getResourceAsStream(
                "/db/migration/V7__payment_current_state_precedence.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int start = sql.indexOf("with current_by_precedence as (") + "with current_by_precedence as (".length();
            int end = sql.indexOf(")\nupdate payment");
            return sql.substring(start, end);
        }
    }
}
