package brocard.webhooks.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;

/**
 * A real single-node KRaft Kafka broker inside this JVM (Kafka's own cluster test kit), for the local run command and
 * the tests. Library scope is {@code provided}: never part of the packaged application.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int PARTITIONS = 3;

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /**
     * Starts a broker on a free port.
     *
     * @param advertisedPort when present, the port the broker tells clients to connect to instead of its own; lets a
     *                       test put a TCP proxy in front of the broker and cut the connection to simulate an outage.
     */
    public static EmbeddedKafkaBroker start(OptionalInt advertisedPort) {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false");
            advertisedPort.ifPresent(port -> builder.setConfigProp(
                    "advertised.listeners", nodes.brokerListenerName().value() + "://localhost:" + port));
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafkaBroker(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the embedded Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded Kafka broker", e);
        }
    }

    /** The broker's own address (not the advertised one). */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public int port() {
        String servers = bootstrapServers();
        return Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
    }

    /** Creates the topics (3 partitions each) if they do not exist yet. */
    public void createTopics(Collection<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            List<NewTopic> newTopics = topics.stream()
                    .map(t -> new NewTopic(t, PARTITIONS, (short) 1))
                    .toList();
            admin.createTopics(newTopics).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topics " + topics, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the embedded Kafka broker", e);
        }
    }
}
