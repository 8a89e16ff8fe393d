package brocard.webhooks.relay;

import brocard.webhooks.otp.OtpSecrets;
import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.HostileEndpoints;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cardholder endpoints that fight back cannot hold the relay: a body trickled slower than the deadline, a body
 * larger than the cap, a redirect. The test profile's deadline ({@code request-timeout}) is 700 ms.
 */
@QuarkusTest
class RelayHostileEndpointTest {

    private static final long DEADLINE_MILLIS = 700;

    @Inject
    Rows rows;

    @Inject
    OtpSecrets secrets;

    @Test
    void aBodyTrickledSlowerThanTheDeadlineEndsTheAttemptAtTheDeadlineAndIsRetried() {
        long recipient = Samples.nextId();
        String path = "/trickle/" + recipient;
        // Would take 20 s to finish; the code expires in 3 s.
        HostileEndpoints.Trickle trickle = new HostileEndpoints.Trickle(Duration.ofMillis(100), Duration.ofSeconds(20));
        ChannelServer.get().respondWith(path, trickle);
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));

        long otpId = Relay.publishEvent(secrets, recipient, Relay.code(), Duration.ofSeconds(3));

        await().atMost(Duration.ofSeconds(8))
                .until(() -> ChannelServer.get().received(path).size() >= 2
                        && !trickle.hungUpAfterMillis().isEmpty());
        // Counted from the answer's headers: the deadline started earlier, before connecting and sending.
        long firstAttemptHeldMillis = trickle.hungUpAfterMillis().get(0);
        assertTrue(
                firstAttemptHeldMillis >= DEADLINE_MILLIS / 2 && firstAttemptHeldMillis < 2000,
                "the relay hung up at its deadline, not when the body ended: " + firstAttemptHeldMillis + " ms");
        List<ChannelServer.Received> attempts = ChannelServer.get().received(path);
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(
                attempts.get(1).arrivalNanos() - attempts.get(0).arrivalNanos());
        assertTrue(
                gapMillis >= DEADLINE_MILLIS && gapMillis < 2500,
                "second attempt after the deadline plus the first backoff (200 ms): " + gapMillis + " ms");

        // Every attempt is cut at the deadline and retried; none gets through before the code expires.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "expired".equals(delivery(otpId).get("status")));
        assertTrue(((Number) delivery(otpId).get("attempts")).intValue() >= 2, "retried until the code expired");
        assertTrue(trickle.hungUpAfterMillis().size() >= 2, "each attempt was cut off");
    }

    @Test
    void aBodyLargerThanTheCapIsCutOffAndTheDeliveryFails() {
        long recipient = Samples.nextId();
        String path = "/flood/" + recipient;
        long total = 64L * 1024 * 1024;
        HostileEndpoints.Flood flood = new HostileEndpoints.Flood(total);
        ChannelServer.get().respondWith(path, flood);
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));
        double failed = Metrics.value("brocard_relay_deliveries_total", "channel=\"webhook\"", "outcome=\"failed\"");

        long otpId = Relay.sendCode(recipient, Relay.code());

        await().atMost(Duration.ofSeconds(20))
                .until(() -> "failed".equals(delivery(otpId).get("status")));
        assertEquals("response too large", delivery(otpId).get("last_error"));
        assertEquals(1, ((Number) delivery(otpId).get("attempts")).intValue(), "a permanent failure: no retry");
        assertEquals(
                failed + 1,
                Metrics.value("brocard_relay_deliveries_total", "channel=\"webhook\"", "outcome=\"failed\""));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !flood.bytesBeforeHangUp().isEmpty());
        assertEquals(List.of(), flood.completed(), "the relay never read the body to its end");
        assertTrue(
                flood.bytesBeforeHangUp().get(0) < total / 2,
                "cut off early (the rest of what was written sat in socket buffers): " + flood.bytesBeforeHangUp());
    }

    @Test
    void aRedirectIsNotFollowed() {
        long recipient = Samples.nextId();
        String path = "/moved/" + recipient;
        String target = "/redirect-target/" + recipient;
        ChannelServer.get()
                .respondWith(
                        path, HostileEndpoints.redirectTo(ChannelServer.get().url(target)));
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));

        long otpId = Relay.sendCode(recipient, Relay.code());

        await().atMost(Duration.ofSeconds(20))
                .until(() -> "failed".equals(delivery(otpId).get("status")));
        assertEquals("HTTP 302", delivery(otpId).get("last_error"));
        assertEquals(1, ChannelServer.get().received(path).size());
        assertEquals(List.of(), ChannelServer.get().received(target), "the redirect target received nothing");
    }

    private Map<String, Object> delivery(long otpId) {
        var found = rows.query("select status, last_error, attempts from otp_delivery where otp_id = ?", otpId);
        return found.isEmpty() ? Map.of() : found.get(0);
    }
}
