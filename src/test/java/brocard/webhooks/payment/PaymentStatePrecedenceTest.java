package brocard.webhooks.payment;

import brocard.webhooks.config.IngestConfig;
import brocard.webhooks.ingest.IngestWriter;
import brocard.webhooks.support.AsyncWebhooks;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import brocard.webhooks.support.WriterBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A payment's current state follows precedence, not arrival order, whether its events arrive in separate batches or
 * in one; and every published event carries the current state it results in ({@code normalized.current_state}).
 */
@QuarkusTest
class PaymentStatePrecedenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Rows rows;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IngestConfig config;

    @Test
    void pendingAfterSettledLeavesSettledAndSaysSoInItsEvent() throws Exception {
        long id = Samples.nextId();
        Webhooks.post("", Samples.payment(id, 1, "SETTLED")).statusCode(200);
        Webhooks.post("", Samples.payment(id, 3, "PENDING")).statusCode(200);

        assertCurrentState(id, 1);
        List<JsonNode> events = publishedNormalized(id, 2);
        assertCurrent(events.get(0), "settled", 1, true);
        assertCurrent(events.get(1), "settled", 1, false);
        assertEquals("pending", events.get(1).get("state").asText(), "the event itself is still the Pending one");
    }

    @Test
    void anUnknownStateAfterAFinalOneLeavesTheFinalOne() throws Exception {
        long id = Samples.nextId();
        Webhooks.post("", Samples.payment(id, 4, "DECLINED")).statusCode(200);
        Webhooks.post("", Samples.payment(id, 9, "CHARGEBACK")).statusCode(200);

        assertCurrentState(id, 4);
        List<JsonNode> events = publishedNormalized(id, 2);
        assertCurrent(events.get(1), "declined", 4, false);
    }

    @Test
    void anUnknownStateReplacesPending() throws Exception {
        long id = Samples.nextId();
        Webhooks.post("", Samples.payment(id, 3, "PENDING")).statusCode(200);
        Webhooks.post("", Samples.payment(id, 9, "CHARGEBACK")).statusCode(200);

        assertCurrentState(id, 9);
        assertCurrent(publishedNormalized(id, 2).get(1), "unknown", 9, true);
    }

    @Test
    void anEarlierFinalStateArrivingLateDoesNotReplaceTheLaterOne() throws Exception {
        long id = Samples.nextId();
        Webhooks.post("", finalState(id, 2, "VOID", "2026-11-25 10:00:09")).statusCode(200);
        Webhooks.post("", finalState(id, 1, "SETTLED", "2026-11-25 10:00:01")).statusCode(200);

        assertCurrentState(id, 2);
        List<JsonNode> events = publishedNormalized(id, 2);
        assertCurrent(events.get(0), "void", 2, true);
        assertCurrent(events.get(1), "void", 2, false);
    }

    @Test
    void aLaterFinalStateReplacesAnEarlierOne() throws Exception {
        long id = Samples.nextId();
        Webhooks.post("", finalState(id, 1, "SETTLED", "2026-11-25 10:00:01")).statusCode(200);
        Webhooks.post("", finalState(id, 2, "VOID", "2026-11-25 10:00:09")).statusCode(200);

        assertCurrentState(id, 2);
        assertCurrent(publishedNormalized(id, 2).get(1), "void", 2, true);
    }

    @Test
    void theSameRulesHoldForEventsOfOnePaymentInOneBatch() throws Exception {
        long blockerId = Samples.nextId();
        long id = Samples.nextIdInShardOf(blockerId, config.writerShards());
        List<ObjectNode> arrivals = List.of(
                finalState(id, 4, "DECLINED", "2026-11-25 10:00:09"),
                Samples.payment(id, 3, "PENDING"),
                finalState(id, 1, "SETTLED", "2026-11-25 10:00:01"),
                Samples.payment(id, 9, "CHARGEBACK"));
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        String lane = "lane=\"events-" + IngestWriter.shardOf(Long.toString(blockerId), config.writerShards()) + "\"";
        CompletableFuture<HttpResponse<String>> blocker;
        try (WriterBlock block = WriterBlock.on(dataSource, "payment_event")) {
            blocker = AsyncWebhooks.post("", Samples.payment(blockerId, 1, "SETTLED"));
            block.awaitWriterBlocked();
            for (ObjectNode body : arrivals) {
                // One at a time into the blocked writer's queue: their arrival order is the order they are sent in.
                int queued = answers.size() + 1;
                answers.add(AsyncWebhooks.post("", body));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> Metrics.value("brocard_ingest_queue_depth", lane) >= queued);
            }
        }
        assertEquals(200, blocker.get(20, TimeUnit.SECONDS).statusCode());
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals(200, answer.get(20, TimeUnit.SECONDS).statusCode());
        }
        assertCurrentState(id, 4);
        List<JsonNode> events = publishedNormalized(id, 4);
        assertEquals(
                List.of("declined", "pending", "settled", "unknown"),
                events.stream().map(e -> e.get("state").asText()).toList(),
                "published in arrival order");
        assertCurrent(events.get(0), "declined", 4, true);
        for (JsonNode later : events.subList(1, 4)) {
            assertCurrent(later, "declined", 4, false);
        }
    }

    private static ObjectNode finalState(long id, int state, String label, String dateFinalState) {
        ObjectNode body = Samples.payment(id, state, label);
        body.put("date_final_state", dateFinalState);
        return body;
    }

    private void assertCurrentState(long id, long expected) {
        assertEquals(
                expected,
                rows.query("select state_value from payment where payment_id = ?", id)
                        .get(0)
                        .get("state_value"));
    }

    private static void assertCurrent(JsonNode normalized, String state, long value, boolean changed) {
        assertEquals(state, normalized.get("current_state").asText(), normalized.toString());
        assertEquals(value, normalized.get("current_state_value").asLong(), normalized.toString());
        assertEquals(changed, normalized.get("current_state_changed").asBoolean(), normalized.toString());
    }

    /** The {@code normalized} object of each Kafka record of this payment, in the order consumers see them. */
    private static List<JsonNode> publishedNormalized(long id, int count) throws Exception {
        try (TopicReader topic = new TopicReader("brocard.payments")) {
            List<JsonNode> normalized = new ArrayList<>();
            for (ConsumerRecord<String, String> record : topic.exactly(count, Long.toString(id))) {
                normalized.add(JSON.readTree(record.value()).get("normalized"));
            }
            return normalized;
        }
    }
}
