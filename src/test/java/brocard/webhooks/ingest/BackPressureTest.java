package brocard.webhooks.ingest;

import brocard.webhooks.config.IngestConfig;
import brocard.webhooks.support.AsyncWebhooks;
import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.WriterBlock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer's queue is bounded: when the database cannot keep up, a webhook that finds the queue full is answered
 * 503 with Retry-After at once (never buffered without bound, never a 200 that is not stored), and what was queued
 * is stored once the database moves again. A tiny queue makes "full" easy to reach.
 */
@QuarkusTest
@TestProfile(BackPressureTest.TinyQueue.class)
class BackPressureTest {

    public static class TinyQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("brocard.ingest.queue-capacity", "2", "brocard.ingest.retry-after", "3s");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IngestConfig config;

    @Inject
    Rows rows;

    @Test
    void aFullQueueIsAnswered503WithRetryAfterAndTheQueuedWebhooksAreStoredLater() throws Exception {
        double unavailableBefore =
                Metrics.value("brocard_webhooks_received_total", "type=\"payment\"", "outcome=\"unavailable\"");
        List<CompletableFuture<HttpResponse<String>>> stored = new ArrayList<>();
        long blockerId = Samples.nextId();
        int shards = config.writerShards();
        long refusedId = Samples.nextIdInShardOf(blockerId, shards);
        String lane = "lane=\"events-" + IngestWriter.shardOf(Long.toString(blockerId), shards) + "\"";
        HttpResponse<String> refused;
        try (WriterBlock block = WriterBlock.on(dataSource, "payment_event")) {
            stored.add(AsyncWebhooks.post("", Samples.payment(blockerId, 1, "SETTLED")));
            block.awaitWriterBlocked(); // the shard's writer holds this one; the next two fill its queue
            stored.add(
                    AsyncWebhooks.post("", Samples.payment(Samples.nextIdInShardOf(blockerId, shards), 1, "SETTLED")));
            stored.add(
                    AsyncWebhooks.post("", Samples.payment(Samples.nextIdInShardOf(blockerId, shards), 1, "SETTLED")));
            await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.value("brocard_ingest_queue_depth", lane) == 2);

            refused = AsyncWebhooks.post("", Samples.payment(refusedId, 1, "SETTLED"))
                    .get(5, TimeUnit.SECONDS);
            // A 3DS code has a lane of its own: a full payment queue does not refuse it.
            assertEquals(
                    200,
                    AsyncWebhooks.post("/3ds", Samples.fresh("otp-example"))
                            .get(20, TimeUnit.SECONDS)
                            .statusCode());
        }
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("3", refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(refused.body().contains("\"request_id\""), refused.body());
        assertTrue(refused.body().contains("retry"), refused.body());
        assertEquals(
                unavailableBefore + 1,
                Metrics.value("brocard_webhooks_received_total", "type=\"payment\"", "outcome=\"unavailable\""));
        for (CompletableFuture<HttpResponse<String>> answer : stored) {
            assertEquals(200, answer.get(20, TimeUnit.SECONDS).statusCode());
        }
        assertEquals(0, rows.count("select count(*) from payment_event where payment_id = ?", refusedId));
    }
}
