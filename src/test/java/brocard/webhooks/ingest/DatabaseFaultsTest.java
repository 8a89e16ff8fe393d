package brocard.webhooks.ingest;

import brocard.webhooks.support.AsyncWebhooks;
import brocard.webhooks.support.CapturedLogs;
import brocard.webhooks.support.DatabaseOutage;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.WriterBlock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PostgreSQL stopped, hung, locked or out of pooled connections, against real PostgreSQL behind a TCP proxy: every
 * webhook is answered 200 only once committed, else 503 with Retry-After, and that answer does not wait for the
 * database (it comes while the fault still lasts); readiness follows the database without using the pool; the writer
 * reconnects by itself. Runs with the production timeouts (the other tests lengthen them to hold the writer on
 * purpose).
 */
@QuarkusTest
@TestProfile(DatabaseFaultsTest.ProductionTimeouts.class)
class DatabaseFaultsTest {

    public static class ProductionTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("brocard.ingest.store-timeout", "1500ms", "brocard.ingest.lock-timeout", "2s");
        }
    }

    private static final int CLIENTS = 16;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Rows rows;

    @AfterEach
    void databaseBack() {
        DatabaseOutage.end();
        awaitReadiness(200);
    }

    /** What one request got, and after how long (printed for the report, never asserted: no timed assertions). */
    private record Answer(long paymentId, boolean valid, int status, String retryAfter, String body, long millis) {}

    @Test
    void aStoppedDatabaseUnderLoadGetsOnly200Or503AndEvery200IsPublishedAfterwards() throws Exception {
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> loops = new ArrayList<>();
        CapturedLogs logs = new CapturedLogs();
        for (int c = 0; c < CLIENTS; c++) {
            loops.add(clients.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    long id = Samples.nextId();
                    ObjectNode body = Samples.payment(id, 1, "SETTLED");
                    boolean valid = i % 10 != 9;
                    if (!valid) {
                        body.remove("currency"); // refused: needs the quarantine, on the pool
                    }
                    long start = System.nanoTime();
                    HttpResponse<String> response = AsyncWebhooks.post("", body).get(30, TimeUnit.SECONDS);
                    answers.add(new Answer(
                            id,
                            valid,
                            response.statusCode(),
                            response.headers().firstValue("Retry-After").orElse(null),
                            response.body(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
                }
                return null;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> count(answers, 200) >= 100);
            DatabaseOutage.stop();
            awaitReadiness(503);
            int before = answers.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> count(answers, 503) >= 50);
            assertTrue(answers.size() > before, "answers keep coming while the database is down");
            DatabaseOutage.end();
            awaitReadiness(200);
            int restored = answers.size();
            // The writer reconnects by itself: webhooks sent after the restart are stored again.
            await().atMost(Duration.ofSeconds(30)).until(() -> countSince(answers, restored, 200) >= 100);
        } finally {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            logs.close();
        }
        for (String line : logs.lines()) {
            assertFalse(
                    line.contains("answered 500") || line.contains("Mutiny had to drop"),
                    "the outage is no unexpected failure: "
                            + line.lines().findFirst().orElse(""));
        }

        List<Answer> all;
        synchronized (answers) {
            all = new ArrayList<>(answers);
        }
        Set<String> accepted = new HashSet<>();
        for (Answer answer : all) {
            if (answer.status() == 503) {
                assertTrue(answer.retryAfter() != null, "Retry-After on " + answer);
                assertTrue(answer.body().contains("\"request_id\""), answer.body());
            } else if (answer.valid()) {
                assertEquals(200, answer.status(), answer.toString());
                accepted.add(Long.toString(answer.paymentId()));
            } else {
                assertEquals(422, answer.status(), answer.toString());
            }
        }
        assertTrue(
                all.stream().anyMatch(a -> a.status() == 503 && !a.valid()),
                "a refusal that could not be quarantined is a 503 too");
        System.out.printf(
                "Database stopped under load (%d clients): %d answers, %d x 200, %d x 503, %d x 422; "
                        + "503 answered after %s ms (median, max)%n",
                CLIENTS,
                all.size(),
                count(all, 200),
                count(all, 503),
                count(all, 422),
                medianAndMax(all.stream()
                        .filter(a -> a.status() == 503)
                        .mapToLong(Answer::millis)
                        .sorted()
                        .toArray()));
        for (String id : accepted) {
            assertEquals(1, rows.count("select count(*) from payment_event where payment_id = ?", Long.parseLong(id)));
        }
        try (TopicReader topic = new TopicReader("brocard.payments")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> topic.keysSeen().containsAll(accepted));
        }
    }

    @Test
    void aHungDatabaseIsAnswered503WhileItHangsAndTheRetryAfterwardsIsStored() throws Exception {
        ObjectNode payment = Samples.payment(Samples.nextId(), 1, "SETTLED");
        DatabaseOutage.hang();
        long start = System.nanoTime();
        HttpResponse<String> answer = AsyncWebhooks.post("", payment).get(30, TimeUnit.SECONDS);
        System.out.printf("Database hung: 503 after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertEquals(503, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Retry-After").isPresent());
        awaitReadiness(503);
        assertTrue(DatabaseOutage.isHanging(), "answered while the database still hangs");
        DatabaseOutage.end();
        awaitReadiness(200);
        // Brocard's retry: stored now, or a duplicate if the hung batch committed once the network came back.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> AsyncWebhooks.post("", payment)
                                .get(30, TimeUnit.SECONDS)
                                .statusCode()
                        == 200);
        assertEquals(
                1,
                rows.count(
                        "select count(*) from payment_event where payment_id = ?",
                        payment.get("id").asLong()));
    }

    @Test
    void aLockHeldOnTheTableIsAnswered503WhileItIsHeld() throws Exception {
        double timedOut = Metrics.value("brocard_ingest_unavailable_total", "reason=\"store_timeout\"");
        double failedBatches = Metrics.value("brocard_ingest_batch_failed_total");
        long id = Samples.nextId();
        try (WriterBlock block = WriterBlock.on(dataSource, "payment_event")) {
            long start = System.nanoTime();
            HttpResponse<String> answer =
                    AsyncWebhooks.post("", Samples.payment(id, 1, "SETTLED")).get(30, TimeUnit.SECONDS);
            System.out.printf(
                    "Table locked: 503 after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertEquals(503, answer.statusCode(), answer.body());
            assertTrue(answer.headers().firstValue("Retry-After").isPresent());
            assertEquals(200, given().get("/q/health/ready").statusCode(), "a lock is not an unready database");
            // Held until the writer gave up waiting for it (lock timeout), so its batch is not stored afterwards.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Metrics.value("brocard_ingest_batch_failed_total") > failedBatches);
        }
        assertTrue(Metrics.value("brocard_ingest_unavailable_total", "reason=\"store_timeout\"") > timedOut);
        assertEquals(
                0,
                rows.count("select count(*) from payment_event where payment_id = ?", id),
                "the lock timeout failed the batch: nothing of it was stored");
        assertEquals(
                200,
                AsyncWebhooks.post("", Samples.payment(Samples.nextId(), 1, "SETTLED"))
                        .get(30, TimeUnit.SECONDS)
                        .statusCode(),
                "the writer goes on");
    }

    @Test
    void anExhaustedPoolIsAnswered503AndReadinessStaysUp() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            while (true) {
                try {
                    held.add(dataSource.getConnection());
                } catch (SQLException poolExhausted) {
                    break;
                }
                if (held.size() > 100) {
                    fail("the pool never ran out");
                }
            }
            ObjectNode invalid = Samples.payment(Samples.nextId(), 1, "SETTLED");
            invalid.remove("currency");
            long start = System.nanoTime();
            HttpResponse<String> refusal = AsyncWebhooks.post("", invalid).get(30, TimeUnit.SECONDS);
            System.out.printf(
                    "Pool exhausted: refusal answered %d after %d ms%n",
                    refusal.statusCode(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertEquals(503, refusal.statusCode(), "the quarantine needs a pooled connection: " + refusal.body());
            assertTrue(refusal.headers().firstValue("Retry-After").isPresent());
            assertEquals(200, given().get("/q/health/ready").statusCode(), "readiness has a connection of its own");
            assertEquals(
                    200,
                    AsyncWebhooks.post("", Samples.payment(Samples.nextId(), 1, "SETTLED"))
                            .get(30, TimeUnit.SECONDS)
                            .statusCode(),
                    "the writer holds its own connection");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        assertFalse(held.isEmpty());
    }

    @Test
    void pooledConnectionsCarryStatementAndLockTimeouts() {
        assertEquals("30s", rows.query("show statement_timeout").get(0).get("statement_timeout"));
        assertEquals("5s", rows.query("show lock_timeout").get(0).get("lock_timeout"));
    }

    private static String medianAndMax(long[] sorted) {
        return sorted.length == 0 ? "-" : sorted[sorted.length / 2] + ", " + sorted[sorted.length - 1];
    }

    /** Like {@link #count}, among the answers from position {@code from} on (the client threads keep adding). */
    private static long countSince(List<Answer> answers, int from, int status) {
        synchronized (answers) {
            return answers.subList(from, answers.size()).stream()
                    .filter(a -> a.status() == status)
                    .count();
        }
    }

    private static long count(List<Answer> answers, int status) {
        synchronized (answers) {
            return answers.stream().filter(a -> a.status() == status).count();
        }
    }

    private static void awaitReadiness(int status) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/q/health/ready").statusCode() == status);
    }
}
