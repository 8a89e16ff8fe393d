package brocard.webhooks.reconcile;

import brocard.webhooks.support.FakeBrocardApi;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One sweep at a time on one database: a sweep finds the lock another replica holds and skips, and two sweepers
 * racing (two threads, two connections: as two replicas would) end with one sweep run and one skipped.
 */
@QuarkusTest
class SweepLockTest {

    @Inject
    Reconciliations reconciliations;

    @Inject
    ReconcileMetrics metrics;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Rows rows;

    @BeforeEach
    void freshApi() {
        FakeBrocardApi.reset();
    }

    @Test
    void aSweepSkipsWhileAnotherReplicaHoldsTheLockAndRunsOnceItIsFree() throws Exception {
        long id = Samples.nextId();
        FakeBrocardApi.paymentsByPages(
                List.of(List.of(FakeBrocardApi.payment(id, 1, "SETTLED", "2026-01-02 10:00:00"))));
        FakeBrocardApi.refundsByCursor(List.of(List.of()));
        long runsBefore = scheduledRuns();

        try (Connection otherReplica = dataSource.getConnection()) {
            lock(otherReplica, "select pg_advisory_lock(?)");
            assertEquals(Reconciliations.SweepOutcome.SKIPPED_LOCKED, reconciliations.sweep());
            assertEquals(0, FakeBrocardApi.allRequests().size());
            assertEquals(runsBefore, scheduledRuns());
            lock(otherReplica, "select pg_advisory_unlock(?)");
        }

        metrics.sweepsScheduled();
        Instant sweepStarted = Instant.now();
        assertEquals(Reconciliations.SweepOutcome.SUCCEEDED, reconciliations.sweep());
        assertEquals(runsBefore + 1, scheduledRuns());
        assertEquals(1L, rows.count("select count(*) from payment_event where payment_id = ?", id));
        // The sweep window is the lookback ending now, in Brocard's format and time zone.
        String begin = FakeBrocardApi.requests("/payments")
                .get(0)
                .queryParameter("dates[begin]")
                .firstValue();
        assertTrue(begin.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"), begin);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("\nbrocard_reconcile_last_success_age_seconds "), "staleness gauge exported");
        double age = Metrics.value("brocard_reconcile_last_success_age_seconds");
        // Counted from the end of this sweep, not from the start of the application.
        assertTrue(age <= Duration.between(sweepStarted, Instant.now()).toMillis() / 1000.0, "age " + age);
    }

    @Test
    void twoSweepersRacingRunOneSweep() throws Exception {
        long id = Samples.nextId();
        FakeBrocardApi.paymentsByPages(
                List.of(List.of(FakeBrocardApi.payment(id, 1, "SETTLED", "2026-01-02 10:00:00"))));
        FakeBrocardApi.refundsByCursor(List.of(List.of()));
        // Slow enough that the second sweeper asks for the lock while the first still holds it.
        brocard.webhooks.support.BrocardApiServer.delayAll(800);
        long runsBefore = scheduledRuns();
        double skippedBefore =
                Metrics.value("brocard_reconcile_runs_total", "trigger=\"scheduled\"", "outcome=\"skipped\"");

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            Future<Reconciliations.SweepOutcome> one = replicas.submit(() -> {
                start.await();
                return reconciliations.sweep();
            });
            Future<Reconciliations.SweepOutcome> two = replicas.submit(() -> {
                start.await();
                return reconciliations.sweep();
            });
            List<Reconciliations.SweepOutcome> outcomes = List.of(one.get(), two.get());
            assertTrue(outcomes.contains(Reconciliations.SweepOutcome.SUCCEEDED), outcomes.toString());
            assertTrue(outcomes.contains(Reconciliations.SweepOutcome.SKIPPED_LOCKED), outcomes.toString());
        } finally {
            replicas.shutdownNow();
        }
        assertEquals(runsBefore + 1, scheduledRuns());
        assertEquals(1, FakeBrocardApi.requests("/payments").size());
        assertEquals(
                1.0,
                Metrics.value("brocard_reconcile_runs_total", "trigger=\"scheduled\"", "outcome=\"skipped\"")
                        - skippedBefore);
        assertEquals(1L, rows.count("select count(*) from payment_event where payment_id = ?", id));
    }

    private long scheduledRuns() {
        return rows.count("select count(*) from reconciliation_run where trigger = 'scheduled'");
    }

    private static void lock(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, SweepLock.KEY);
            statement.execute();
        }
    }
}
