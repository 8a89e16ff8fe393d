package brocard.webhooks.outbox;

import brocard.webhooks.support.Metrics;
import brocard.webhooks.support.Rows;
import brocard.webhooks.support.Samples;
import brocard.webhooks.support.TopicReader;
import brocard.webhooks.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults of single rows or topics stay theirs: a row Kafka refuses for good is parked (its key's later events wait,
 * every other key flows) and an operator retries or skips it; a topic that does not exist delays only its own rows.
 */
@QuarkusTest
class OutboxFaultsTest {

    /** Above the producer's max.request.size (1 MiB): Kafka refuses it with RecordTooLargeException, every time. */
    private static final String TOO_LARGE = "{\"x\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";

    @Inject
    Rows rows;

    @Test
    void aPoisonRowIsParkedWhileOthersFlowAndWaitsForAnOperatorToRetryOrSkipIt() {
        String key = "poison-" + Samples.nextId();
        UUID poison = insertRow("brocard.payments", key, TOO_LARGE);
        UUID follower = insertRow("brocard.payments", key, "{\"follower\":true}");
        double parkedBefore = Metrics.value("brocard_outbox_parked_total", "topic=\"brocard.payments\"");

        long other = Samples.nextId();
        Webhooks.post("", Samples.payment(other, 1, "SETTLED")).statusCode(200);
        try (TopicReader payments = new TopicReader("brocard.payments")) {
            payments.exactly(1, Long.toString(other)); // other keys flow while the poison row fails
        }

        long deadLetter = awaitOpenDeadLetter(poison);
        Map<String, Object> parked = rows.query(
                        "select attempts, permanent_failures, last_error, next_attempt_at "
                                + "= 'infinity' as parked from outbox_event where event_id = ?",
                        poison)
                .get(0);
        assertEquals(3, parked.get("permanent_failures"), "parked after brocard.outbox.max-attempts");
        assertEquals("org.apache.kafka.common.errors.RecordTooLargeException", parked.get("last_error"));
        assertEquals(true, parked.get("parked"));
        assertEquals(
                0,
                rows.query("select attempts from outbox_event where event_id = ?", follower)
                        .get(0)
                        .get("attempts"),
                "the key's later event waits behind the parked one, never tried");
        assertEquals(parkedBefore + 1, Metrics.value("brocard_outbox_parked_total", "topic=\"brocard.payments\""));
        await().atMost(Duration.ofSeconds(30)).until(() -> Metrics.value("brocard_outbox_dead_letters") >= 1);

        admin().get("/admin/dead-letters").then().statusCode(200).body("id", hasItem((int) deadLetter));
        admin().get("/admin/dead-letters/" + deadLetter)
                .then()
                .statusCode(200)
                .body("eventId", equalTo(poison.toString()))
                .body("key", equalTo(key))
                .body("lastError", equalTo("org.apache.kafka.common.errors.RecordTooLargeException"))
                .body("laterEventsWaiting", equalTo(1));

        // Retry: back in the queue with a fresh budget; still too large, so parked again (a new dead letter).
        admin().queryParam("note", "OPS-1 retry")
                .post("/admin/dead-letters/" + deadLetter + "/retry")
                .then()
                .statusCode(200)
                .body("resolution", equalTo("retried"))
                .body("resolvedBy", equalTo("OPS-1 retry"));
        long parkedAgain = awaitOpenDeadLetter(poison);
        assertTrue(parkedAgain != deadLetter);
        admin().queryParam("target", "dead-letter/" + deadLetter)
                .get("/admin/audit")
                .then()
                .statusCode(200)
                .body("action", equalTo(List.of("dead-letter.retry")))
                .body("[0].details.eventId", equalTo(poison.toString()))
                .body("[0].details.note", equalTo("OPS-1 retry"));
        admin().get("/admin/dead-letters").then().statusCode(200).body("id", not(hasItem((int) deadLetter)));
        admin().queryParam("all", true)
                .get("/admin/dead-letters")
                .then()
                .statusCode(200)
                .body("id", hasItem((int) deadLetter));

        // Skip: the poison event is given up (kept in the dead letter), the follower is published.
        admin().post("/admin/dead-letters/" + parkedAgain + "/skip")
                .then()
                .statusCode(200)
                .body("resolution", equalTo("skipped"));
        try (TopicReader payments = new TopicReader("brocard.payments")) {
            List<ConsumerRecord<String, String>> published = payments.exactly(1, key);
            assertEquals(follower.toString(), TopicReader.header(published.get(0), "ce_id"));
        }
        assertEquals(0, rows.count("select count(*) from outbox_event where event_id = ?", poison));
        assertEquals(
                TOO_LARGE,
                rows.query("select payload from outbox_dead_letter where id = ?", parkedAgain)
                        .get(0)
                        .get("payload"));

        admin().post("/admin/dead-letters/" + parkedAgain + "/skip")
                .then()
                .statusCode(409)
                .body("request_id", org.hamcrest.Matchers.notNullValue());
        admin().post("/admin/dead-letters/999999999/retry").then().statusCode(404);
        given().post("/admin/dead-letters/" + parkedAgain + "/retry").then().statusCode(401);
    }

    @Test
    void aMissingTopicDelaysOnlyItsOwnRows() throws Exception {
        String topic = "brocard.missing-" + Samples.nextId();
        List<String> keys = new ArrayList<>();
        // Each of these used to block the producer's sending thread for max.block.ms (5 s): 100 s for the whole
        // channel, far beyond the payment's wait below.
        for (int i = 0; i < 20; i++) {
            String key = "missing-" + Samples.nextId();
            keys.add(key);
            insertRow(topic, key, "{\"n\":" + i + "}");
        }
        long payment = Samples.nextId();
        Webhooks.post("", Samples.payment(payment, 1, "SETTLED")).statusCode(200);
        try (TopicReader payments = new TopicReader("brocard.payments")) {
            payments.exactly(1, Long.toString(payment), Duration.ofSeconds(20));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> rows.count(
                                "select count(*) from outbox_event "
                                        + "where topic = ? and attempts > 0 and last_error = 'TopicOrPartitionUnavailable'",
                                topic)
                        == 20);
        assertEquals(
                0,
                rows.count("select count(*) from outbox_dead_letter where topic = ?", topic),
                "a missing topic is transient: its rows wait, never parked");
        assertEquals(
                20, rows.count("select count(*) from outbox_event where topic = ? and published_at is null", topic));

        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        rows.count("select count(*) from outbox_event where topic = ? and published_at is null", topic)
                                == 0);
        try (TopicReader created = new TopicReader(topic)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> keys.stream().allMatch(k -> !created.poll(k).isEmpty()));
            created.exactly(1, keys.get(0)); // and nothing more follows, for any key:
            for (String key : keys) {
                List<ConsumerRecord<String, String>> records = created.poll(key);
                assertEquals(1, records.size(), key);
                assertEquals(
                        TopicAvailability.partitionOf(key, 3),
                        records.get(0).partition(),
                        "the partition whose leader is checked is the one Kafka's partitioner picks");
            }
        }
    }

    private long awaitOpenDeadLetter(UUID eventId) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> rows.count(
                                "select count(*) from outbox_dead_letter where event_id = ? and resolved_at is null",
                                eventId)
                        == 1);
        Map<String, Object> row = rows.query(
                        "select id, resolved_at from outbox_dead_letter where event_id = ? "
                                + "and resolved_at is null",
                        eventId)
                .get(0);
        assertNull(row.get("resolved_at"));
        return ((Number) row.get("id")).longValue();
    }

    /** An outbox row as the writer would queue it (tests choose topic and payload freely). */
    private UUID insertRow(String topic, String key, String payload) {
        UUID eventId = UUID.randomUUID();
        rows.update(
                """
                insert into outbox_event (event_id, topic, record_key, event_type, subject, event_time, payload,
                    contains_secret, created_at, next_attempt_at)
                values (?, ?, ?, 'brocard.test', 'test', now(), ?, false, clock_timestamp(), now())""",
                eventId,
                topic,
                key,
                payload);
        return eventId;
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + Webhooks.ADMIN_TOKEN);
    }
}
