package brocard.webhooks.relay;

import brocard.webhooks.otp.OtpSecrets;
import brocard.webhooks.support.ChannelServer;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same code id with another code is a re-issued code: stored, published and relayed as a new event. The same code
 * again is a replay, never sent twice; an older code after a newer one is never sent.
 */
@QuarkusTest
class OtpReissueTest {

    @Inject
    Rows rows;

    @Inject
    OtpSecrets secrets;

    @Test
    void aReissuedCodeReachesTheRouteAfterTheFirstAndReplaysOfEitherAreNotSentAgain() {
        long recipient = Samples.nextId();
        String path = "/reissue/" + recipient;
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));
        String first = Relay.code();
        String second = Relay.code();
        double reissued = Metrics.value("brocard_otp_codes_reissued_total");

        long otpId = Relay.sendCode(recipient, first);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Relay.requestsWith(first).size() == 1);
        Webhooks.post("/3ds", otp(otpId, recipient, second)).statusCode(200).body("status", equalTo("accepted"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Relay.requestsWith(second).size() == 1);

        List<ChannelServer.Received> received = ChannelServer.get().received(path);
        assertEquals(2, received.size());
        assertTrue(received.get(0).body().contains(first), "the first code first");
        assertTrue(received.get(1).body().contains(second), "then the re-issued one");
        assertEquals(reissued + 1, Metrics.value("brocard_otp_codes_reissued_total"));
        assertEquals(
                2, rows.count("select count(distinct code_fingerprint) from otp_code_event where otp_id = ?", otpId));
        assertEquals(
                2, rows.count("select count(*) from otp_delivery where otp_id = ? and status = 'delivered'", otpId));

        // Brocard replays both webhooks (the older one after the newer): duplicates, nothing published or sent.
        Webhooks.post("/3ds", otp(otpId, recipient, second)).statusCode(200).body("status", equalTo("duplicate"));
        Webhooks.post("/3ds", otp(otpId, recipient, first)).statusCode(200).body("status", equalTo("duplicate"));
        try (TopicReader topic = new TopicReader("brocard.otp")) {
            List<ConsumerRecord<String, String>> events = topic.exactly(2, Long.toString(recipient));
            assertNotEquals(
                    TopicReader.header(events.get(0), "ce_id"),
                    TopicReader.header(events.get(1), "ce_id"),
                    "each code is its own CloudEvent");
            // Kafka delivers both records again (a rebalance): each code has its final status, nothing is re-sent.
            events.forEach(record -> Relay.publishRaw(record.key(), record.value()));
        }
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(6))
                .until(() -> ChannelServer.get().received(path).size() == 2);
        assertEquals(2, rows.count("select count(*) from otp_code_event where otp_id = ?", otpId));
        assertEquals(
                0,
                rows.count(
                        "select count(*) from dedup_conflict where webhook_type = 'otp_code' " + "and dedup_key like ?",
                        otpId + "/%"));
    }

    @Test
    void theSameCodeWithOtherDetailsIsStillAConflictNotAReissue() {
        long recipient = Samples.nextId();
        String code = Relay.code();
        long otpId = Samples.nextId();
        Webhooks.post("/3ds", otp(otpId, recipient, code)).statusCode(200).body("status", equalTo("accepted"));
        ObjectNode changed = otp(otpId, recipient, code).put("amount", "99.00");
        Webhooks.post("/3ds", changed).statusCode(200).body("status", equalTo("duplicate"));

        assertEquals(1, rows.count("select count(*) from otp_code_event where otp_id = ?", otpId));
        assertEquals(
                1,
                rows.count(
                        "select count(*) from dedup_conflict where webhook_type = 'otp_code' " + "and dedup_key like ?",
                        otpId + "/%"));
        try (TopicReader topic = new TopicReader("brocard.otp")) {
            topic.exactly(1, Long.toString(recipient));
        }
    }

    @Test
    void anOlderCodeReadAfterANewerOneIsNeverSent() {
        long recipient = Samples.nextId();
        String path = "/reissue-stale/" + recipient;
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));
        long otpId = Samples.nextId();
        String older = Relay.code();
        String newer = Relay.code();
        Instant now = Instant.now();
        Relay.Event olderEvent =
                Relay.event(secrets, recipient, otpId, older, now.minusSeconds(20), Duration.ofMinutes(5));
        Relay.Event newerEvent = Relay.event(secrets, recipient, otpId, newer, now, Duration.ofMinutes(5));
        double superseded =
                Metrics.value("brocard_relay_deliveries_total", "channel=\"webhook\"", "outcome=\"superseded\"");

        // The relay reads the newer code first (e.g. the older one is redelivered after a crash).
        Relay.publishRaw(newerEvent.key(), newerEvent.value());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Relay.requestsWith(newer).size() == 1);
        Relay.publishRaw(olderEvent.key(), olderEvent.value());

        await().atMost(Duration.ofSeconds(30))
                .until(() -> rows.count(
                                "select count(*) from otp_delivery " + "where otp_id = ? and status = 'superseded'",
                                otpId)
                        == 1);
        assertEquals(0, Relay.requestsWith(older).size());
        assertEquals(1, ChannelServer.get().received(path).size());
        assertEquals(
                superseded + 1,
                Metrics.value("brocard_relay_deliveries_total", "channel=\"webhook\"", "outcome=\"superseded\""));
    }

    private static ObjectNode otp(long otpId, long recipient, String code) {
        ObjectNode body = Samples.load("otp-example");
        body.put("id", otpId).put("recipient_id", recipient).put("code", code);
        return body;
    }
}
