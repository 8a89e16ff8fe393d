package brocard.webhooks.reconcile;

import brocard.webhooks.support.BrocardApiServer;
import brocard.webhooks.support.CapturedLogs;
import brocard.webhooks.support.FakeBrocardApi;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Brocard's API misbehaving: a wrong key fails the run at once, throttling and server errors are retried with
 * backoff, slow answers time out and are retried, and an outage fails the run cleanly so that the next run catches
 * up. The API key shows in no log line and no run error.
 */
@QuarkusTest
class ApiFaultsTest {

    @Inject
    Rows rows;

    @BeforeEach
    void freshApi() {
        FakeBrocardApi.reset();
    }

    @Test
    void aRefusedKeyFailsTheRunWithoutRetryingAndWithoutShowingTheKey() {
        FakeBrocardApi.breakAll(FakeBrocardApi.error(401, "Unauthenticated."));
        try (CapturedLogs logs = new CapturedLogs()) {
            JsonPath run = Runs.runToEnd(List.of("payments", "refunds"));

            assertEquals("failed", run.getString("status"));
            assertThat(run.getString("error"), containsString("refused the API key (401)"));
            assertEquals(1, FakeBrocardApi.allRequests().size()); // not retried, refunds not tried
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("refused the API key")));
            assertTrue(logs.lines().stream().noneMatch(line -> line.contains(BrocardApiServer.API_KEY)));
        }
        // The key did go to Brocard, as a Bearer token.
        assertEquals(
                "Bearer " + BrocardApiServer.API_KEY,
                FakeBrocardApi.allRequests().get(0).getHeader("Authorization"));
        assertTrue(
                Metrics.value("brocard_api_requests_total", "endpoint=\"payments\"", "outcome=\"unauthorized\"") >= 1);
    }

    @Test
    void throttlingAndServerErrorsAreRetried() {
        long a = Samples.nextId(), b = Samples.nextId();
        FakeBrocardApi.paymentsByPages(
                List.of(List.of(FakeBrocardApi.payment(a, 1, "SETTLED", "2026-01-02 10:00:00"))));
        FakeBrocardApi.refundsByCursor(List.of(List.of(FakeBrocardApi.refund(b))));
        FakeBrocardApi.failFirst(
                "/payments", 1, FakeBrocardApi.error(429, "Too Many Attempts.").withHeader("Retry-After", "0"));
        FakeBrocardApi.failFirst("/refunds", 2, FakeBrocardApi.error(500, "Server Error"));

        JsonPath run = Runs.runToEnd(List.of("payments", "refunds"));

        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertEquals(2, run.getInt("recovered"));
        assertEquals(2, FakeBrocardApi.requests("/payments").size());
        assertEquals(3, FakeBrocardApi.requests("/refunds").size());
    }

    @Test
    void aSlowAnswerTimesOutAndIsAskedAgain() {
        long a = Samples.nextId();
        FakeBrocardApi.paymentsByPages(
                List.of(List.of(FakeBrocardApi.payment(a, 1, "SETTLED", "2026-01-02 10:00:00"))));
        // Longer than the test read timeout (1.5 s): the first attempt gives up, the second gets the answer.
        FakeBrocardApi.failFirst(
                "/payments",
                1,
                aResponse()
                        .withStatus(200)
                        .withFixedDelay(4000)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"data\":[]}"));

        JsonPath run = Runs.runToEnd(List.of("payments"));

        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertEquals(1, run.getInt("recovered"));
        assertEquals(2, FakeBrocardApi.requests("/payments").size());
        assertTrue(
                Metrics.value("brocard_api_requests_total", "endpoint=\"payments\"", "outcome=\"unreachable\"") >= 1);
    }

    @Test
    void anOutageFailsTheRunCleanlyAndTheNextRunCatchesUp() {
        long first = Samples.nextId(), second = Samples.nextId();
        FakeBrocardApi.paymentsByPages(List.of(
                List.of(FakeBrocardApi.payment(first, 1, "SETTLED", "2026-01-02 10:00:00")),
                List.of(FakeBrocardApi.payment(second, 1, "SETTLED", "2026-01-02 11:00:00"))));
        // The outage starts after the first page: the run stored what it had, then failed.
        StubMapping outage = FakeBrocardApi.breakSecondPaymentsPage(FakeBrocardApi.error(503, "Service Unavailable"));

        JsonPath failed = Runs.runToEnd(List.of("payments"));

        assertEquals("failed", failed.getString("status"));
        assertThat(failed.getString("error"), containsString("answered 503"));
        assertThat(failed.getString("error"), containsString("after 4 attempts"));
        assertFalse(failed.getString("error").contains(BrocardApiServer.API_KEY));
        assertEquals(1, failed.getInt("recovered"));
        assertEquals(0L, rows.count("select count(*) from payment_event where payment_id = ?", second));

        FakeBrocardApi.heal(outage);
        JsonPath next = Runs.runToEnd(List.of("payments"));

        assertEquals("succeeded", next.getString("status"), next.prettify());
        assertEquals(1, next.getInt("recovered"));
        assertEquals(1, next.getInt("already_known"));
        try (TopicReader payments = new TopicReader("brocard.payments")) {
            payments.exactly(1, Long.toString(first));
            payments.exactly(1, Long.toString(second));
        }
    }
}
