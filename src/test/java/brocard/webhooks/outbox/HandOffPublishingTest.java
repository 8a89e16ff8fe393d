package brocard.webhooks.outbox;

import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The writer hands what it committed to the publisher, which claims those rows by id: with polling pushed out to an
 * hour (only the poll at startup runs), every committed event still reaches Kafka at once, a payment's states in
 * order, and the claim counters say the hand-off did it.
 */
@QuarkusTest
@TestProfile(HandOffPublishingTest.PollOnlyHourly.class)
class HandOffPublishingTest {

    public static class PollOnlyHourly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("brocard.outbox.poll-interval", "1h");
        }
    }

    private static final String HAND_OFF = "source=\"hand-off\"";
    private static final String POLL = "source=\"poll\"";

    @Test
    void committedEventsArePublishedFromTheWritersHandInPerKeyOrderWithoutAPoll() {
        double polledBefore = pollsAfterStartup();
        double handedBefore = Metrics.value("brocard_outbox_claimed_total", HAND_OFF);

        long busy = Samples.nextId();
        List<Long> others = new ArrayList<>();
        // One payment's three states back to back (same key: the second and third are handed over while the first may
        // still be in flight), and payments of other keys in between.
        Webhooks.post("", Samples.payment(busy, 3, "PENDING")).statusCode(200).body("status", equalTo("accepted"));
        for (int i = 0; i < 5; i++) {
            long other = Samples.nextId();
            others.add(other);
            Webhooks.post("", Samples.payment(other, 1, "SETTLED")).statusCode(200);
        }
        Webhooks.post("", Samples.payment(busy, 4, "DECLINED")).statusCode(200).body("status", equalTo("accepted"));
        Webhooks.post("", Samples.payment(busy, 1, "SETTLED")).statusCode(200).body("status", equalTo("accepted"));

        try (TopicReader payments = new TopicReader("brocard.payments")) {
            List<ConsumerRecord<String, String>> states =
                    payments.exactly(3, Long.toString(busy), Duration.ofSeconds(10));
            assertEquals(
                    List.of("brocard.payment.pending", "brocard.payment.declined", "brocard.payment.settled"),
                    states.stream().map(r -> TopicReader.header(r, "ce_type")).toList(),
                    "a key's events in commit order");
            for (long other : others) {
                payments.exactly(1, Long.toString(other), Duration.ofSeconds(10));
            }
        }
        assertEquals(8, Metrics.value("brocard_outbox_claimed_total", HAND_OFF) - handedBefore);
        assertEquals(polledBefore, Metrics.value("brocard_outbox_claimed_total", POLL), "no poll claimed a row");
    }

    /**
     * The rows claimed by polls once the startup polls are over (they may claim rows left by earlier test classes): the
     * count has not moved for a second.
     */
    private static double pollsAfterStartup() {
        AtomicReference<Double> last = new AtomicReference<>(-1.0);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    double now = Metrics.value("brocard_outbox_claimed_total", POLL);
                    return now == last.getAndSet(now);
                });
        return last.get();
    }
}
