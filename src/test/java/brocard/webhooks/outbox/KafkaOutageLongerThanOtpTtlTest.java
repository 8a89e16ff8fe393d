package brocard.webhooks.outbox;

import brocard.webhooks.support.KafkaOutage;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Relay;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Kafka outage that outlasts a 3DS code's TTL: the code's secret is purged from the outbox while it waits, the event
 * is published without it once Kafka is back, and the relay records it as stale without sending anything. Payments of
 * the same outage are published once, and the relay stays alive. A 4-second TTL stands in for the production 10 minutes.
 */
@QuarkusTest
@TestProfile(KafkaOutageLongerThanOtpTtlTest.ShortOtpTtl.class)
class KafkaOutageLongerThanOtpTtlTest {

    public static class ShortOtpTtl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("brocard.otp.secret-ttl", "4s", "brocard.otp.purge-interval", "1s");
        }
    }

    private static final String[] STALE_WEBHOOK = {"channel=\"webhook\"", "outcome=\"stale\""};

    @Inject
    Rows rows;

    @AfterEach
    void restoreKafka() {
        KafkaOutage.end();
    }

    @Test
    void aCodeThatExpiredDuringTheOutageIsPublishedWithoutItsSecretAndNeverSent() {
        long recipient = Samples.nextId();
        String path = "/outage-longer-than-ttl/" + recipient;
        Relay.putRecipient(recipient, List.of(Relay.webhookRoute(path)));
        double staleBefore = Metrics.value("brocard_relay_deliveries_total", STALE_WEBHOOK);

        KafkaOutage.begin();
        String code = Relay.code();
        long otpId = Relay.sendCode(recipient, code);
        long paymentId = Samples.nextId();
        Webhooks.post("", Samples.payment(paymentId, 1, "SETTLED"))
                .statusCode(200)
                .body("status", equalTo("accepted"));

        // Past the TTL the purge job removes the encrypted code from the waiting outbox row.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> rows.count(
                                "select count(*) from outbox_event where topic = 'brocard.otp' and record_key = ? "
                                        + "and not contains_secret and published_at is null",
                                Long.toString(recipient))
                        == 1);

        KafkaOutage.end();

        try (TopicReader otps = new TopicReader("brocard.otp");
                TopicReader payments = new TopicReader("brocard.payments")) {
            List<ConsumerRecord<String, String>> published = otps.exactly(1, Long.toString(recipient));
            assertFalse(published.get(0).value().contains("code_encrypted"), "published without the purged code");
            payments.exactly(1, Long.toString(paymentId));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        rows.count("select count(*) from otp_delivery where otp_id = ? and status = 'expired'", otpId)
                                == 1);
        assertEquals(staleBefore + 1, Metrics.value("brocard_relay_deliveries_total", STALE_WEBHOOK));
        assertTrue(Relay.requestsWith(code).isEmpty(), "an expired code is never sent");
        given().get("/q/health/live").then().statusCode(200);
    }
}
