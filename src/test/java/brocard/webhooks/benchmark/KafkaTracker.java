package brocard.webhooks.benchmark;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reads a topic from the beginning while the benchmark runs and hands each record's key (the webhook id) and
 * timestamp to the ledger that sent it. The topics are created with {@code message.timestamp.type=LogAppendTime}, so
 * a record's timestamp is the moment the broker appended it: lag and losses are measured from Kafka itself,
 * independently of how the service's outbox is built.
 */
final class KafkaTracker implements AutoCloseable {

    private final String bootstrapServers;
    private final String topic;
    private final List<Ledger> ledgers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile TimestampType timestampType;

    KafkaTracker(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        thread = new Thread(this::run, "bench-kafka-tracker");
        thread.setDaemon(true);
        thread.start();
    }

    /** Creates the topics (3 partitions, as the embedded broker's default) with broker-side timestamps. */
    static void createTopics(String bootstrapServers, Collection<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(topics.stream()
                            .map(t -> new NewTopic(t, 3, (short) 1)
                                    .configs(Map.of("message.timestamp.type", "LogAppendTime")))
                            .toList())
                    .all()
                    .get();
        }
    }

    /** Records of this ledger's ids are matched from now on. */
    void track(Ledger ledger) {
        ledgers.add(ledger);
    }

    /** Waits until every accepted webhook of the ledger is on the topic, or the timeout passes. */
    boolean awaitAll(Ledger ledger, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int accepted = ledger.count(Ledger.ACCEPTED);
        while (ledger.inKafkaCount() < accepted) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** The timestamp type of the records read (LOG_APPEND_TIME expected), or null if none was read. */
    TimestampType timestampType() {
        return timestampType;
    }

    private void run() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(props)) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(200))) {
                    timestampType = record.timestampType();
                    record(Long.parseLong(record.key()), record.timestamp());
                }
            }
        } catch (WakeupException stopping) {
            // close() was called
        } catch (RuntimeException e) {
            System.err.println("The Kafka reader stopped; the runs will report their payments as lost:");
            e.printStackTrace();
        }
    }

    private void record(long id, long timestampMillis) {
        for (Ledger ledger : ledgers) {
            if (ledger.kafka(id, timestampMillis)) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        thread.join(10_000);
    }
}
