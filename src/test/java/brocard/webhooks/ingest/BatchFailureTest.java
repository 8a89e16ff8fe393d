package brocard.webhooks.ingest;

import brocard.webhooks.config.IngestConfig;
import brocard.webhooks.support.AsyncWebhooks;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.WriterBlock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches formed on purpose over HTTP: a table lock holds the writer on one batch while the next one queues up.
 * A batch whose commit fails answers every one of its webhooks with a non-200 and publishes nothing of it; a refused
 * webhook arriving among others is quarantined without touching their batch.
 */
@QuarkusTest
class BatchFailureTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IngestConfig config;

    @Inject
    Rows rows;

    @Test
    void aBatchWhoseCommitFailsAnswers503ToEveryWebhookInItAndPublishesNothing() throws Exception {
        long blockerId = Samples.nextId();
        long poisoned = Samples.nextIdInShardOf(blockerId, config.writerShards());
        // A deferred constraint trigger fails the transaction at COMMIT, as a lost connection or full disk would.
        rows.update(
                """
                create or replace function fail_commit_for_test() returns trigger language plpgsql as $$
                begin
                  if new.payment_id = %d then raise exception 'injected commit failure'; end if;
                  return null;
                end $$"""
                        .formatted(poisoned));
        rows.update("create constraint trigger fail_commit_for_test after insert on payment_event "
                + "deferrable initially deferred for each row execute function fail_commit_for_test()");
        try {
            List<Long> ids = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            CompletableFuture<HttpResponse<String>> blocker;
            try (WriterBlock block = WriterBlock.on(dataSource, "payment_event")) {
                blocker = AsyncWebhooks.post("", Samples.payment(blockerId, 1, "SETTLED"));
                block.awaitWriterBlocked();
                for (int i = 0; i < 5; i++) {
                    // All behind the blocked writer of one shard: they form its next batch.
                    long id = i == 2 ? poisoned : Samples.nextIdInShardOf(blockerId, config.writerShards());
                    ids.add(id);
                    answers.add(AsyncWebhooks.post("/payments", Samples.payment(id, 1, "SETTLED")));
                }
                awaitQueued(blockerId, 5);
            }
            assertEquals(200, blocker.get(20, TimeUnit.SECONDS).statusCode(), "the batch before it is unaffected");
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
                assertEquals(503, response.statusCode(), response.body());
                assertTrue(response.headers().firstValue("Retry-After").isPresent(), "Retry-After");
                assertTrue(response.body().contains("\"request_id\""), response.body());
            }
            for (long id : ids) {
                assertEquals(0, rows.count("select count(*) from payment_event where payment_id = ?", id));
                assertEquals(
                        0, rows.count("select count(*) from outbox_event where record_key = ?", Long.toString(id)));
            }
            try (TopicReader topic = new TopicReader("brocard.payments")) {
                topic.exactly(0, Long.toString(ids.get(0)), Duration.ofSeconds(3));
            }
        } finally {
            rows.update("drop trigger fail_commit_for_test on payment_event");
            rows.update("drop function fail_commit_for_test()");
        }
        // Brocard's retry of the innocent ones now succeeds.
        ObjectNode retried = Samples.payment(Samples.nextId(), 1, "SETTLED");
        assertEquals(
                200, AsyncWebhooks.post("", retried).get(20, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void aRefusedWebhookAmongOthersIsQuarantinedAndTheOthersAreStored() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> valid = new ArrayList<>();
        CompletableFuture<HttpResponse<String>> refused;
        ObjectNode invalid = Samples.payment(Samples.nextId(), 1, "SETTLED");
        invalid.remove("currency");
        try (WriterBlock block = WriterBlock.on(dataSource, "payment_event")) {
            valid.add(AsyncWebhooks.post("", Samples.payment(Samples.nextId(), 1, "SETTLED")));
            block.awaitWriterBlocked();
            valid.add(AsyncWebhooks.post("", Samples.payment(Samples.nextId(), 1, "SETTLED")));
            refused = AsyncWebhooks.post("", invalid);
            valid.add(AsyncWebhooks.post("", Samples.payment(Samples.nextId(), 1, "SETTLED")));
            HttpResponse<String> refusal = refused.get(20, TimeUnit.SECONDS);
            assertEquals(422, refusal.statusCode(), "refused without waiting for the blocked writer");
            String requestId = refusal.body().replaceAll(".*\"request_id\":\"([^\"]+)\".*", "$1");
            assertNotNull(rows.query("select id from quarantined_webhook where id = ?::uuid", requestId)
                    .get(0));
        }
        for (CompletableFuture<HttpResponse<String>> answer : valid) {
            HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"accepted\""), response.body());
        }
    }

    @Test
    void aValueTheDatabaseRefusesSinksOnlyItsOwnWebhookNotTheBatch() throws Exception {
        List<Long> ids = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> valid = new ArrayList<>();
        CompletableFuture<HttpResponse<String>> poisoned;
        long blockerId = Samples.nextId();
        long poisonedId = Samples.nextIdInShardOf(blockerId, config.writerShards());
        ObjectNode poison = Samples.payment(poisonedId, 1, "SETTLED");
        // Validation now refuses every value it knows PostgreSQL cannot hold (StorableJson), so the database refusing
        // one is simulated: a check constraint that only this webhook violates (SQLState 23514, a data fault).
        rows.update("alter table payment_event add constraint refuse_for_test check (payment_id <> %d) not valid"
                .formatted(poisonedId));
        try {
            try (WriterBlock block = WriterBlock.on(dataSource, "payment_event")) {
                valid.add(AsyncWebhooks.post("", Samples.payment(blockerId, 1, "SETTLED")));
                block.awaitWriterBlocked();
                for (int i = 0; i < 2; i++) {
                    long id = Samples.nextIdInShardOf(blockerId, config.writerShards());
                    ids.add(id);
                    valid.add(AsyncWebhooks.post("", Samples.payment(id, 1, "SETTLED")));
                }
                poisoned = AsyncWebhooks.post("", poison);
                awaitQueued(blockerId, 3);
            }
            for (CompletableFuture<HttpResponse<String>> answer : valid) {
                HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.body());
            }
            HttpResponse<String> refusal = poisoned.get(20, TimeUnit.SECONDS);
            assertEquals(422, refusal.statusCode(), refusal.body());
            String requestId = refusal.body().replaceAll(".*\"request_id\":\"([^\"]+)\".*", "$1");
            assertEquals(
                    "UNSTORABLE_VALUE",
                    rows.query("select reason from quarantined_webhook where id = ?::uuid", requestId)
                            .get(0)
                            .get("reason"));
        } finally {
            // Only once every answer is in: dropped earlier, the culprit's retry alone could already succeed.
            rows.update("alter table payment_event drop constraint refuse_for_test");
        }
        for (long id : ids) {
            assertEquals(1, rows.count("select count(*) from payment_event where payment_id = ?", id));
        }
        assertEquals(0, rows.count("select count(*) from payment_event where payment_id = ?", poisonedId));
    }

    /** The webhooks are waiting in the queue of the writer shard of this payment id (reported by its gauge). */
    private void awaitQueued(long paymentId, int count) {
        String lane = "lane=\"events-" + IngestWriter.shardOf(Long.toString(paymentId), config.writerShards()) + "\"";
        await().atMost(Duration.ofSeconds(20))
                .until(() -> brocard.webhooks.support.Metrics.value("brocard_ingest_queue_depth", lane) >= count);
    }
}
