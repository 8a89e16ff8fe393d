package brocard.webhooks.outbox;

import brocard.webhooks.benchmark.AppProcess;
import brocard.webhooks.local.EmbeddedKafkaBroker;
import brocard.webhooks.local.EmbeddedPostgresServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged application (prod profile, a child JVM) stopped while it publishes a large outbox backlog, then started
 * again on the same database and Kafka: SIGTERM lets the in-flight batches finish, so nothing Kafka acknowledged is
 * published again; SIGKILL re-publishes at most the batches in flight (one per publisher thread), and loses nothing.
 * Both also check that every key's events reach Kafka in their order. The figures are printed.
 */
class PublisherShutdownIT {

    private static final int ROWS = 30_000;
    private static final int KEYS = 5_000;
    /** Stop once this many rows are published: well inside the drain, so batches are in flight. */
    private static final int STOP_AFTER = 4_000;

    private static final int BATCH_SIZE = 500;
    private static final int EVENT_THREADS = 2;
    private static final String KEY =
            Base64.getEncoder().encodeToString("publisher-shutdown-it-only-key!!".getBytes(StandardCharsets.US_ASCII));

    private static EmbeddedPostgresServer postgres;
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startInfrastructure() {
        postgres = EmbeddedPostgresServer.start();
        kafka = EmbeddedKafkaBroker.start(OptionalInt.empty());
        kafka.createTopics(
                List.of("brocard.payments", "brocard.refunds", "brocard.otp", "shutdown.sigterm", "shutdown.sigkill"));
    }

    @AfterAll
    static void stopInfrastructure() {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void sigtermFinishesTheInFlightBatchesSoNothingIsPublishedTwice() throws Exception {
        Outcome outcome = stopMidPublishAndRestart("shutdown.sigterm", false);
        assertEquals(0, outcome.duplicates(), "SIGTERM: no acknowledged row is published again; " + outcome);
    }

    @Test
    void sigkillLosesNothingAndRepublishesAtMostTheBatchesInFlight() throws Exception {
        Outcome outcome = stopMidPublishAndRestart("shutdown.sigkill", true);
        assertTrue(
                outcome.duplicates() <= (long) BATCH_SIZE * EVENT_THREADS,
                "SIGKILL: at most one batch per publisher thread again; " + outcome);
    }

    private record Outcome(String signal, int rows, long publishedBeforeStop, long records, long duplicates) {
        @Override
        public String toString() {
            return "%s mid-publish: %d rows, %d marked published when stopped, %d Kafka records after restart, %d lost, %d duplicates (%.2f%%)"
                    .formatted(signal, rows, publishedBeforeStop, records, 0, duplicates, 100.0 * duplicates / rows);
        }
    }

    private Outcome stopMidPublishAndRestart(String topic, boolean kill) throws Exception {
        String signal = kill ? "SIGKILL" : "SIGTERM";
        try (AppProcess first = start(topic + "-1")) {
            first.awaitReady(Duration.ofSeconds(120));
            insertBacklog(topic);
            awaitPublished(topic, STOP_AFTER, Duration.ofSeconds(120));
            if (kill) {
                first.kill();
            } else {
                assertTrue(first.terminate(Duration.ofSeconds(60)), "the application stops within the grace period");
            }
        }
        long publishedBeforeStop = published(topic);
        assertTrue(publishedBeforeStop < ROWS, "stopped mid-publish, not after the drain: " + publishedBeforeStop);
        if (!kill) {
            String log = Files.readString(log(topic + "-1"));
            assertTrue(
                    log.contains("Outbox publisher stopped; every in-flight batch was marked"),
                    "see " + log(topic + "-1"));
        }

        try (AppProcess second = start(topic + "-2")) {
            second.awaitReady(Duration.ofSeconds(120));
            awaitPublished(topic, ROWS, Duration.ofSeconds(180));
            assertTrue(second.terminate(Duration.ofSeconds(60)));
        }

        Map<String, Integer> copies = new HashMap<>();
        Map<String, List<Integer>> firstSeenOrder = new HashMap<>();
        long records = readTopic(topic, copies, firstSeenOrder);
        assertEquals(ROWS, copies.size(), "every row reached Kafka (0 lost)");
        for (Map.Entry<String, List<Integer>> key : firstSeenOrder.entrySet()) {
            List<Integer> order = key.getValue();
            for (int i = 1; i < order.size(); i++) {
                assertTrue(order.get(i - 1) < order.get(i), "key " + key.getKey() + " in order: " + order);
            }
        }
        Outcome outcome = new Outcome(signal, ROWS, publishedBeforeStop, records, records - copies.size());
        System.out.println("[PublisherShutdownIT] " + outcome);
        return outcome;
    }

    private static AppProcess start(String name) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("BROCARD_WEBHOOK_TOKENS", "shutdown-it-token");
        env.put("BROCARD_OTP_ENCRYPTION_KEY", KEY);
        env.put("BROCARD_RELAY_ENABLED", "false");
        env.put("BROCARD_OUTBOX_BATCH_SIZE", Integer.toString(BATCH_SIZE));
        env.put("BROCARD_OUTBOX_PUBLISHER_THREADS", Integer.toString(EVENT_THREADS));
        Files.createDirectories(log(name).getParent());
        return AppProcess.start(env, List.of("-Xmx512m"), log(name));
    }

    private static Path log(String name) {
        return Path.of("target", "publisher-shutdown-it", name + ".log");
    }

    /** Rows as the writer queues them: KEYS keys, several events each, payload {"n": position}. */
    private static void insertBacklog(String topic) throws SQLException {
        try (Connection c = connect();
                PreparedStatement insert = c.prepareStatement(
                        """
                insert into outbox_event (event_id, topic, record_key, event_type, subject, event_time, payload,
                    contains_secret, created_at, next_attempt_at)
                select gen_random_uuid(), ?, 'k' || (g % ?), 'brocard.test', 'test', now(), '{"n":' || g || '}',
                       false, clock_timestamp(), now()
                from generate_series(1, ?) g order by g""")) {
            insert.setString(1, topic);
            insert.setInt(2, KEYS);
            insert.setInt(3, ROWS);
            insert.executeUpdate();
        }
    }

    private static void awaitPublished(String topic, long count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (published(topic) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + published(topic) + " of " + count + " published in " + timeout
                        + "; unpublished: " + diagnose(topic));
            }
            Thread.sleep(20);
        }
    }

    private static long published(String topic) throws SQLException {
        try (Connection c = connect();
                PreparedStatement count = c.prepareStatement(
                        "select count(*) from outbox_event where topic = ? and published_at is not null")) {
            count.setString(1, topic);
            try (ResultSet r = count.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String diagnose(String topic) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection c = connect()) {
            for (String sql : List.of(
                    "select attempts, last_error, next_attempt_at > now() as later, count(*) from "
                            + "outbox_event where published_at is null and topic = '" + topic + "' group by 1, 2, 3",
                    "select state, wait_event_type, wait_event, left(query, 60) from pg_stat_activity "
                            + "where datname = current_database()",
                    "select locktype, mode, granted, count(*) from pg_locks group by 1, 2, 3")) {
                try (ResultSet r = c.createStatement().executeQuery(sql)) {
                    while (r.next()) {
                        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                            text.append(r.getString(i))
                                    .append(i == r.getMetaData().getColumnCount() ? "\n" : " | ");
                        }
                    }
                }
                text.append("--\n");
            }
        }
        return text.toString();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), "");
    }

    /** Reads the whole topic: copies per ce_id, and per key the payload positions in first-seen order. */
    private static long readTopic(String topic, Map<String, Integer> copies, Map<String, List<Integer>> order) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long records = 0;
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    Header id = record.headers().lastHeader("ce_id");
                    String eventId = new String(id.value(), StandardCharsets.UTF_8);
                    copies.merge(eventId, 1, Integer::sum);
                    if (seen.add(eventId)) {
                        String value = record.value();
                        int n = Integer.parseInt(value.substring(value.indexOf(':') + 1, value.indexOf('}')));
                        order.computeIfAbsent(record.key(), k -> new ArrayList<>())
                                .add(n);
                    }
                }
            }
        }
        return records;
    }
}
