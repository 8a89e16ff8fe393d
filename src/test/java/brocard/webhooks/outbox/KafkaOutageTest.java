package brocard.webhooks.outbox;

import brocard.webhooks.support.KafkaOutage;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Kafka outage never fails ingestion: webhooks keep getting 200, their events wait in the outbox, and once Kafka is
 * back every one of them is published, once.
 */
@QuarkusTest
class KafkaOutageTest {

    private static final int PAYMENTS = 8;

    @Inject
    Rows rows;

    @AfterEach
    void restoreKafka() {
        KafkaOutage.end();
    }

    @Test
    void webhooksAreAcceptedDuringAnOutageAndPublishedOnceAfterIt() {
        KafkaOutage.begin();

        List<Long> paymentIds = new ArrayList<>();
        for (int i = 0; i < PAYMENTS; i++) {
            long id = Samples.nextId();
            paymentIds.add(id);
            Webhooks.post("", Samples.payment(id, 1, "SETTLED")).statusCode(200).body("status", equalTo("accepted"));
        }
        ObjectNode otp = Samples.fresh("otp-example");
        Webhooks.post("/3ds", otp).statusCode(200).body("status", equalTo("accepted"));
        String recipient = otp.get("recipient_id").asText();

        // The publisher really tries and fails (not just "has not got round to it yet").
        await().atMost(Duration.ofSeconds(40))
                .until(() -> rows.count(
                                "select count(*) from outbox_event where record_key = ? and attempts > 0 and published_at is null",
                                Long.toString(paymentIds.get(0)))
                        == 1);
        assertEquals(PAYMENTS + 1, unpublished(paymentIds, recipient), "nothing is published during the outage");

        KafkaOutage.end();

        await().atMost(Duration.ofSeconds(90)).until(() -> unpublished(paymentIds, recipient) == 0);
        try (TopicReader payments = new TopicReader("brocard.payments");
                TopicReader otps = new TopicReader("brocard.otp")) {
            for (long id : paymentIds) {
                payments.exactly(1, Long.toString(id));
            }
            otps.exactly(1, recipient);
        }
    }

    private long unpublished(List<Long> paymentIds, String recipient) {
        long count = rows.count(
                "select count(*) from outbox_event where topic = 'brocard.otp' and record_key = ? "
                        + "and published_at is null",
                recipient);
        for (long id : paymentIds) {
            count += rows.count(
                    "select count(*) from outbox_event where topic = 'brocard.payments' "
                            + "and record_key = ? and published_at is null",
                    Long.toString(id));
        }
        return count;
    }
}
