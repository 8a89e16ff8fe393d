package brocard.webhooks.ingest;

import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The unique key, not a read-then-write check, decides: 50 simultaneous copies give one event. */
@QuarkusTest
class ConcurrentDeliveryTest {

    private static final int COPIES = 50;

    @Inject
    Rows rows;

    @Test
    void fiftyParallelCopiesGiveOneRowAndOneRecord() throws Exception {
        long id = Samples.nextId();
        String body = Samples.payment(id, 1, "SETTLED").toString();
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + RestAssured.port + "/webhooks/brocard?token=" + Webhooks.TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(COPIES);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < COPIES; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            int accepted = 0;
            int duplicates = 0;
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.get();
                assertEquals(200, answer.statusCode(), answer.body());
                accepted += answer.body().contains("\"accepted\"") ? 1 : 0;
                duplicates += answer.body().contains("\"duplicate\"") ? 1 : 0;
            }
            assertEquals(1, accepted);
            assertEquals(COPIES - 1, duplicates);
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, rows.count("select count(*) from payment_event where payment_id = ?", id));
        assertEquals(
                1,
                rows.count(
                        "select count(*) from outbox_event where record_key = ? and topic = ?",
                        Long.toString(id),
                        "brocard.payments"));
        assertEquals(0, rows.count("select count(*) from dedup_conflict where dedup_key = ?", id + "/1"));
        try (TopicReader topic = new TopicReader("brocard.payments")) {
            topic.exactly(1, Long.toString(id));
        }
    }
}
