package brocard.webhooks.local;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The embedded default of the README's run command ({@code ./mvnw quarkus:dev}): when the dev profile is active and
 * no external PostgreSQL or Kafka is configured, starts them inside this JVM and points the application at them.
 *
 * <p>Active in the {@code dev} profile only: tests start their own infrastructure (see the test resource), and prod
 * never has the libraries on its classpath. Live reload re-creates this factory with fresh statics, so the started
 * servers' addresses are remembered in system properties and the servers are started once per JVM.
 */
public class LocalInfrastructureConfigSourceFactory implements ConfigSourceFactory {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String KAFKA_BOOTSTRAP = "kafka.bootstrap.servers";
    private static final String STARTED_JDBC_URL = "brocard.local.started.jdbc-url";
    private static final String STARTED_KAFKA = "brocard.local.started.kafka";
    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev") || isFalse(context.getValue("brocard.local.enabled"))) {
            return List.of();
        }
        Map<String, String> properties = new HashMap<>();
        if (isUnset(context.getValue(JDBC_URL))) {
            properties.put(JDBC_URL, postgresUrl());
            properties.put("quarkus.datasource.username", "postgres");
            properties.put("quarkus.datasource.password", "");
        }
        if (isUnset(context.getValue(KAFKA_BOOTSTRAP))) {
            properties.put(KAFKA_BOOTSTRAP, kafkaBootstrap(context));
        }
        if (properties.isEmpty()) {
            return List.of();
        }
        properties.put("brocard.local.active", "true");
        return List.of(new PropertiesConfigSource(properties, "brocard-local-infrastructure", ORDINAL));
    }

    private static synchronized String postgresUrl() {
        String url = System.getProperty(STARTED_JDBC_URL);
        if (url == null) {
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "embedded-postgres-stop"));
            url = postgres.jdbcUrl();
            System.setProperty(STARTED_JDBC_URL, url);
        }
        return url;
    }

    private static synchronized String kafkaBootstrap(ConfigSourceContext context) {
        String bootstrap = System.getProperty(STARTED_KAFKA);
        if (bootstrap == null) {
            EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(OptionalInt.empty());
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-stop"));
            kafka.createTopics(List.of(
                    valueOr(context.getValue("brocard.topics.payments"), "brocard.payments"),
                    valueOr(context.getValue("brocard.topics.refunds"), "brocard.refunds"),
                    valueOr(context.getValue("brocard.topics.otp"), "brocard.otp")));
            bootstrap = kafka.bootstrapServers();
            System.setProperty(STARTED_KAFKA, bootstrap);
        }
        return bootstrap;
    }

    private static boolean isUnset(ConfigValue value) {
        return value == null || value.getValue() == null || value.getValue().isBlank();
    }

    private static boolean isFalse(ConfigValue value) {
        return !isUnset(value) && "false".equalsIgnoreCase(value.getValue().trim());
    }

    private static String valueOr(ConfigValue value, String fallback) {
        return isUnset(value) ? fallback : value.getValue();
    }
}
