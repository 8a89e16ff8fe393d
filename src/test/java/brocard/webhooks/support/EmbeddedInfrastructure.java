package brocard.webhooks.support;

import brocard.webhooks.local.EmbeddedKafkaBroker;
import brocard.webhooks.local.EmbeddedPostgresServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One real PostgreSQL and one real Kafka broker for the whole test suite. The application reaches both through TCP
 * proxies (the broker advertises its proxy's port, to every client, tests' consumers included), so {@link KafkaOutage}
 * and {@link DatabaseOutage} can cut or hang the connection like a network failure or a stopped server would. The
 * relay's external parties are real local servers too: {@link ChannelServer} for HTTP (Telegram, Slack, webhooks) and
 * GreenMail for SMTP.
 *
 * <p>Benchmarks run without the proxies ({@code -Dbrocard.test.fault-proxies=false}, set by {@code -Pbenchmark}): each
 * proxy relays every packet through one more thread, which on two cores put tens of milliseconds on the relay's path
 * and is nothing a production deployment has. The outage helpers then refuse to run.
 */
public class EmbeddedInfrastructure implements QuarkusTestResourceLifecycleManager {

    private static final List<String> TOPICS = List.of("brocard.payments", "brocard.refunds", "brocard.otp");

    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaBroker kafka;
    private NioReactor reactor;
    private TcpCrusher kafkaProxy;
    private TcpCrusher postgresProxy;
    private ChannelServer channels;
    private GreenMail smtp;

    @Override
    public Map<String, String> start() {
        postgres = EmbeddedPostgresServer.start();
        Map<String, String> config = new HashMap<>();
        if (Boolean.parseBoolean(System.getProperty("brocard.test.fault-proxies", "true"))) {
            config.putAll(startBehindProxies());
        } else {
            kafka = EmbeddedKafkaBroker.start(OptionalInt.empty());
            kafka.createTopics(TOPICS);
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
            config.put("kafka.bootstrap.servers", "localhost:" + kafka.port());
        }
        channels = new ChannelServer();
        ChannelServer.instance = channels;
        int smtpPort = freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Mailbox.greenMail = smtp;

        config.put("quarkus.datasource.username", postgres.username());
        config.put("quarkus.datasource.password", "");
        config.put("brocard.relay.telegram.base-url", channels.url("/telegram"));
        config.put("brocard.relay.smtp.host", "127.0.0.1");
        config.put("brocard.relay.smtp.port", Integer.toString(smtpPort));
        return config;
    }

    /** Starts the broker advertising a proxy's port, and both proxies; returns where the application connects. */
    private Map<String, String> startBehindProxies() {
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
        kafka.createTopics(TOPICS);
        KafkaOutage.proxy = kafkaProxy;
        int postgresProxyPort = freePort();
        postgresProxy = TcpCrusherBuilder.builder()
                .withReactor(reactor)
                .withBindAddress("localhost", postgresProxyPort)
                .withConnectAddress("localhost", postgres.port())
                .buildAndOpen();
        DatabaseOutage.proxy = postgresProxy;
        return Map.of(
                "quarkus.datasource.jdbc.url",
                postgres.jdbcUrl().replace(":" + postgres.port() + "/", ":" + postgresProxyPort + "/"),
                "kafka.bootstrap.servers",
                "localhost:" + proxyPort);
    }

    @Override
    public void stop() {
        if (channels != null) {
            channels.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (postgresProxy != null) {
            postgresProxy.close();
        }
        if (kafkaProxy != null) {
            kafkaProxy.close();
        }
        if (reactor != null) {
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
