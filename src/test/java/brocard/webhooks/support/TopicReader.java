package brocard.webhooks.support;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;

/**
 * Reads a topic from the beginning and keeps the records whose key matches. Tests share topics, so they always select
 * by a key of their own.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    public TopicReader(String topic) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits until {@code count} records with this key arrived, then checks for a while that no more follow. */
    public List<ConsumerRecord<String, String>> exactly(int count, String key) {
        return exactly(count, key, Duration.ofSeconds(30));
    }

    public List<ConsumerRecord<String, String>> exactly(int count, String key, Duration atMost) {
        await().atMost(atMost).until(() -> poll(key).size() >= count);
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> poll(key).size() == count);
        return poll(key);
    }

    /** Polls once and returns every record seen so far with this key. */
    public List<ConsumerRecord<String, String>> poll(String key) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().filter(r -> key.equals(r.key())).toList();
    }

    /** Polls once and returns the keys of every record seen so far. */
    public java.util.Set<String> keysSeen() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet());
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static Map<String, String> ceHeaders(ConsumerRecord<?, ?> record) {
        Map<String, String> headers = new java.util.TreeMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
