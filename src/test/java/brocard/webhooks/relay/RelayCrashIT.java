package brocard.webhooks.relay;

import brocard.webhooks.local.EmbeddedKafkaBroker;
import brocard.webhooks.local.EmbeddedPostgresServer;
import brocard.webhooks.support.ChannelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A real crash: the packaged application relays a code in a child JVM, is killed (SIGKILL) while it waits to retry
 * the route, and a second instance, started afterwards on the same PostgreSQL and Kafka, gets the unacknowledged
 * record again. The dead instance's claim holds until its lease runs out; then the second one takes it over and the
 * channel accepts the code exactly once.
 */
class RelayCrashIT {

    private static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String KEY = "cmVsYXktY3Jhc2gtaXQta2V5LW5ldmVyLWluLXByb2Q="; // 32 bytes
    private static final String SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private static EmbeddedPostgresServer postgres;
    private static EmbeddedKafkaBroker kafka;
    private static ChannelServer channels;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startInfrastructure() {
        postgres = EmbeddedPostgresServer.start();
        kafka = EmbeddedKafkaBroker.start(OptionalInt.empty());
        kafka.createTopics(List.of("brocard.payments", "brocard.refunds", "brocard.otp"));
        channels = new ChannelServer();
    }

    @AfterAll
    static void stopInfrastructure() {
        channels.close();
        kafka.close();
        postgres.close();
    }

    @Test
    void aRelayKilledBetweenAttemptsIsTakenOverAndTheCodeIsAcceptedOnce() throws Exception {
        long recipient = 771001;
        String path = "/crash/" + recipient;
        String code = "4817260093";
        channels.script(path, 503); // the first attempt is refused: the instance then waits 8 s for its retry

        int firstPort = freePort();
        Process first = start(firstPort, "first");
        String ownerOfFirst;
        try {
            awaitReady(firstPort);
            send(
                    firstPort,
                    "PUT",
                    "/admin/recipients/" + recipient,
                    "Bearer it-admin",
                    """
                    {"displayName": "Crash test", "routes": [{"channel": "webhook", "target": "%s", "secret": "%s"}]}
                    """
                            .formatted(channels.url(path), SECRET),
                    200);
            send(
                    firstPort,
                    "POST",
                    "/webhooks/brocard/3ds?token=it-token",
                    null,
                    """
                    {"id": 99001, "code": "%s", "card_last_four": "0000", "amount": "1", "currency": "USD",
                     "webhook_type": "otp_code", "recipient_id": %d}"""
                            .formatted(code, recipient),
                    200);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> requestsWith(code) == 1 && "pending".equals(column("status")));
            ownerOfFirst = column("owner");
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no ack
            first.waitFor(30, TimeUnit.SECONDS);
        }

        int secondPort = freePort();
        Process second = start(secondPort, "second");
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> "delivered".equals(column("status")));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> requestsWith(code) == 2);
            assertEquals(2, requestsWith(code), "one refused attempt by the first instance, one accepted send");
            assertNotEquals(ownerOfFirst, column("owner"), "the second instance finished it");
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private long requestsWith(String code) {
        return channels.all().stream().filter(r -> r.body().contains(code)).count();
    }

    private static String column(String name) throws SQLException {
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), "");
                PreparedStatement query =
                        db.prepareStatement("select " + name + " from otp_delivery where otp_id = 99001");
                ResultSet row = query.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private Process start(int port, String name) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", APP.toString())
                .redirectErrorStream(true)
                .redirectOutput(new File("target/relay-crash-it-" + name + ".log"));
        Map<String, String> environment = builder.environment();
        environment
                .keySet()
                .removeIf(key -> key.startsWith("BROCARD_") || key.startsWith("QUARKUS_") || key.startsWith("KAFKA_"));
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("BROCARD_WEBHOOK_TOKENS", "it-token");
        env.put("BROCARD_ADMIN_TOKENS", "it-admin");
        env.put("BROCARD_KEYS", "k1:" + KEY);
        env.put("BROCARD_RELAY_ALLOW_PRIVATE_TARGETS", "true");
        env.put("BROCARD_RELAY_ALLOW_INSECURE_URLS", "true");
        env.put("BROCARD_RELAY_RETRY_INITIAL_BACKOFF", "8s");
        env.put("BROCARD_RELAY_CLAIM_LEASE", "3s");
        env.put("BROCARD_RELAY_CLAIM_RECHECK", "500ms");
        environment.putAll(env);
        return builder.start();
    }

    private void awaitReady(int port) {
        await().atMost(Duration.ofSeconds(120))
                .ignoreExceptions()
                .until(() -> http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://localhost:" + port + "/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200);
    }

    private void send(int port, String method, String path, String authorization, String json, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, answer.statusCode(), answer.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
