package brocard.webhooks.relay.channel;

import brocard.webhooks.relay.directory.TargetGuard;
import brocard.webhooks.support.TestRelayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sender connects to the address the URL guard approved, never resolving the name again, while the server still
 * sees the URL's host name: in {@code Host}, in TLS SNI, and as the name its certificate must carry. Host names under
 * {@code .invalid} never resolve in DNS (RFC 6761), so a request that arrives proves which address was used.
 */
class HttpSenderTest {

    private static final String HOST = "codes.bank.invalid";
    private static final String PASSWORD = "test-keystore";

    private static Vertx vertx;

    /** What the endpoint saw of one request. */
    record Seen(List<String> hostHeaders, String uri, String serverName) {}

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void connectsToTheApprovedAddressAndSendsTheUrlsHostName() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = start(new HttpServerOptions(), seen);
        HttpSender sender = new HttpSender(vertx, TestRelayConfig.local(), loopbackFor(HOST, lookups), null);

        String answer = sender.postJson(
                URI.create("http://" + HOST + ":" + server.actualPort() + "/hook?v=1"),
                "{}",
                Map.of("webhook-id", "otp_1_2"));

        assertEquals("{\"ok\":true}", answer);
        assertEquals(List.of(new Seen(List.of(HOST + ":" + server.actualPort()), "/hook?v=1", null)), seen);
        assertEquals(1, lookups.get(), "resolved once, by the guard");
        server.close();
    }

    @Test
    void tlsNamesAndVerifiesTheUrlsHostNotTheAddressConnectedTo(@TempDir Path dir) throws Exception {
        Path keystore = selfSigned(dir, HOST);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = start(tls(keystore).setSni(true), seen);
        HttpSender sender = new HttpSender(
                vertx,
                TestRelayConfig.local().withRequestTimeout(Duration.ofSeconds(10)),
                loopbackFor(HOST, new AtomicInteger()),
                new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD));

        sender.postJson(URI.create("https://" + HOST + ":" + server.actualPort() + "/hook"), "{}", Map.of());

        assertEquals(List.of(new Seen(List.of(HOST + ":" + server.actualPort()), "/hook", HOST)), seen);
        server.close();
    }

    @Test
    void aCertificateForAnotherNameIsRefused(@TempDir Path dir) throws Exception {
        Path keystore = selfSigned(dir, "elsewhere.invalid"); // trusted, but not for this host
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = start(tls(keystore), seen);
        HttpSender sender = new HttpSender(
                vertx,
                TestRelayConfig.local(),
                loopbackFor(HOST, new AtomicInteger()),
                new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD));

        DeliveryException refused = assertThrows(
                DeliveryException.class,
                () -> sender.postJson(
                        URI.create("https://" + HOST + ":" + server.actualPort() + "/hook"), "{}", Map.of()));

        assertTrue(refused.isRetryable());
        assertEquals("SSLHandshakeException", refused.getMessage());
        assertEquals(List.of(), seen, "nothing was sent over the unverified connection");
        server.close();
    }

    @Test
    void aTargetTheGuardRefusesIsNeverContacted() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = start(new HttpServerOptions(), seen);
        TargetGuard production = new TargetGuard(
                TestRelayConfig.production(), host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        HttpSender sender = new HttpSender(vertx, TestRelayConfig.production(), production, null);

        DeliveryException refused = assertThrows(
                DeliveryException.class,
                () -> sender.postJson(
                        URI.create("https://" + HOST + ":" + server.actualPort() + "/hook"), "{}", Map.of()));

        assertEquals("target refused: URL host resolves to an internal address", refused.getMessage());
        assertFalse(refused.isRetryable());
        assertEquals(List.of(), seen);
        server.close();
    }

    private static TargetGuard loopbackFor(String name, AtomicInteger lookups) {
        return new TargetGuard(TestRelayConfig.local(), host -> {
            lookups.incrementAndGet();
            if (!host.equals(name)) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        });
    }

    private static HttpServer start(HttpServerOptions options, List<Seen> seen) throws Exception {
        return vertx.createHttpServer(options)
                .requestHandler(request -> {
                    seen.add(new Seen(
                            request.headers().getAll("Host"),
                            request.uri(),
                            request.isSSL() ? request.connection().indicatedServerName() : null));
                    request.response()
                            .putHeader("Content-Type", "application/json")
                            .end("{\"ok\":true}");
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static HttpServerOptions tls(Path keystore) {
        return new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD));
    }

    /** A PKCS#12 key store with a self-signed certificate for {@code name}, made by the JDK's own keytool. */
    private static Path selfSigned(Path dir, String name) throws Exception {
        Path keystore = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "endpoint",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=" + name,
                        "-ext",
                        "SAN=dns:" + name,
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));
        return keystore;
    }
}
