package brocard.webhooks.health;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Readiness: can PostgreSQL answer now? Asked over a connection of its own, opened with the datasource's URL and
 * settings but outside the pool: a pool exhausted by requests does not make the pod look dead (restarting or removing
 * it would not help), and a probe never takes a connection a webhook is waiting for. Every step is bounded by
 * {@code brocard.health.database-timeout}, so a hung database is DOWN within it rather than a probe that hangs. The
 * connection is kept between probes and reopened after a failure.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private static final String ADDITIONAL_PROPERTIES = "quarkus.datasource.jdbc.additional-jdbc-properties.";

    private final Config config;
    private final String url;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Duration timeout;
    private Connection connection;

    public DatabaseReadiness(
            Config config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @ConfigProperty(name = "brocard.health.database-timeout", defaultValue = "1s") Duration timeout) {
        this.config = config;
        this.url = url;
        this.username = username;
        this.password = password;
        this.timeout = timeout;
    }

    @Override
    public synchronized HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("database");
        try {
            if (connection == null) {
                connection = connect();
            }
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(seconds(timeout));
                statement.execute("select 1");
            }
            return response.up().build();
        } catch (SQLException e) {
            close();
            // Class and SQLState only: a driver's message may name hosts and users.
            return response.down()
                    .withData(
                            "error",
                            e.getClass().getSimpleName()
                                    + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]"))
                    .build();
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        // The datasource's own driver settings (TLS, …) first; then this probe's bounds over them.
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(ADDITIONAL_PROPERTIES)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(
                                value -> properties.setProperty(name.substring(ADDITIONAL_PROPERTIES.length()), value));
            }
        }
        username.ifPresent(user -> properties.setProperty("user", user));
        password.ifPresent(secret -> properties.setProperty("password", secret));
        String seconds = Integer.toString(seconds(timeout));
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", Integer.toString(seconds(timeout) + 1));
        properties.setProperty("options", "-c statement_timeout=" + timeout.toMillis());
        properties.setProperty("ApplicationName", "brocard-webhooks readiness");
        Connection opened = new Driver().connect(url, properties);
        if (opened == null) {
            throw new SQLException("Not a PostgreSQL JDBC URL");
        }
        opened.setNetworkTimeout(Runnable::run, (int) timeout.toMillis() + 1000);
        return opened;
    }

    /** pgjdbc counts its timeouts in whole seconds; at least one. */
    private static int seconds(Duration duration) {
        return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Broken anyway.
            }
            connection = null;
        }
    }
}
