package brocard.webhooks.reconcile;

import brocard.webhooks.support.CapturedLogs;
import brocard.webhooks.support.FakeBrocardApi;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Samples;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The time-zone check of a run: the same payment asked with {@code tz=UTC} tells the account's real offset; the
 * tests run with {@code brocard.provider-timezone=UTC}.
 */
@QuarkusTest
class ProviderTimeZoneTest {

    @BeforeEach
    void freshApi() {
        FakeBrocardApi.reset();
    }

    @Test
    void anAccountTwoHoursAheadOfTheConfiguredZoneIsReported() {
        ObjectNode payment = FakeBrocardApi.payment(Samples.nextId(), 1, "SETTLED", "2026-01-02 12:00:00");
        FakeBrocardApi.paymentsByPages(List.of(List.of(payment)));
        FakeBrocardApi.paymentInUtc(payment, "2026-01-02 10:00:00");

        try (CapturedLogs logs = new CapturedLogs()) {
            assertEquals("succeeded", Runs.runToEnd(List.of("payments")).getString("status"));
            assertTrue(
                    logs.lines().stream()
                            .anyMatch(line -> line.contains("Brocard's dates are at UTC") && line.contains("+02:00")),
                    logs.lines().toString());
        }
        assertEquals(7200.0, Metrics.value("brocard_reconcile_provider_offset_seconds"));
        assertEquals(1.0, Metrics.value("brocard_reconcile_provider_timezone_mismatch"));
        assertEquals(
                1,
                FakeBrocardApi.requests("/payments/" + payment.get("id").asLong())
                        .size());
    }

    @Test
    void anAccountAtTheConfiguredZoneIsNotReported() {
        ObjectNode payment = FakeBrocardApi.payment(Samples.nextId(), 1, "SETTLED", "2026-01-02 12:00:00");
        FakeBrocardApi.paymentsByPages(List.of(List.of(payment)));
        FakeBrocardApi.paymentInUtc(payment, "2026-01-02 12:00:00");

        assertEquals("succeeded", Runs.runToEnd(List.of("payments")).getString("status"));

        assertEquals(0.0, Metrics.value("brocard_reconcile_provider_offset_seconds"));
        assertEquals(0.0, Metrics.value("brocard_reconcile_provider_timezone_mismatch"));
    }
}
