package brocard.webhooks.support;

import brocard.webhooks.local.EmbeddedKafkaBroker;
import brocard.webhooks.local.EmbeddedPostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One real PostgreSQL and one real Kafka broker for the whole test suite. The application reaches Kafka through a
 * TCP proxy (the broker advertises the proxy's port), so {@link KafkaOutage} can cut the connection like a network
 * failure would. (The broker advertises the proxy to every client, tests' consumers included.)
 */
public class EmbeddedInfrastructure implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaBroker kafka;
    private NioReactor reactor;
    private TcpCrusher kafkaProxy;

    @Override
    public Map<String, String> start() {
        postgres = EmbeddedPostgresServer.start();
        int proxyPort = freePort();
        kafka = EmbeddedKafkaBroker.start(OptionalInt.of(proxyPort));
        try {
            reactor = new NioReactor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kafkaProxy = TcpCrusherBuilder.builder()
                .withReactor(reactor)
                .withBindAddress("localhost", proxyPort)
                .withConnectAddress("localhost", kafka.port())
                .buildAndOpen();
        kafka.createTopics(List.of("brocard.payments", "brocard.refunds", "brocard.otp"));
        KafkaOutage.proxy = kafkaProxy;
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", "",
                "kafka.bootstrap.servers", "localhost:" + proxyPort);
    }

    @Override
    public void stop() {
        if (kafkaProxy != null) {
            kafkaProxy.close();
            reactor.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
