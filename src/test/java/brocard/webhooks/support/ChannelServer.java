package brocard.webhooks.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real local HTTP server that plays every HTTP party the relay talks to: Telegram's Bot API
 * ({@code /telegram/bot<token>/sendMessage}), Slack incoming webhooks and cardholders' own endpoints (any other
 * path). It records every request and answers 200 {@code {"ok":true}} unless a path is scripted to fail or stall, or
 * is given a {@link Responder} of its own.
 */
public final class ChannelServer implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String path, Map<String, String> headers, String body, long arrivalNanos) {}

    private record Answer(int status, long delayMillis) {}

    /** Answers a request its own way (e.g. a misbehaving endpoint); the request is recorded before. */
    @FunctionalInterface
    public interface Responder {
        void respond(HttpExchange exchange) throws IOException;
    }

    static volatile ChannelServer instance;

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(64);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Answer> always = new ConcurrentHashMap<>();
    private final Map<String, Responder> responders = new ConcurrentHashMap<>();

    public ChannelServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public static ChannelServer get() {
        if (instance == null) {
            throw new IllegalStateException("The channel server is not running: is EmbeddedInfrastructure active?");
        }
        return instance;
    }

    public String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    /** The next requests to {@code path} get these statuses, in order; then 200 again. */
    public void script(String path, int... statuses) {
        Deque<Answer> answers = new ArrayDeque<>();
        for (int status : statuses) {
            answers.add(new Answer(status, 0));
        }
        scripts.put(path, answers);
    }

    /** Every request to {@code path} waits this long before answering (longer than the relay waits). */
    public void stall(String path, long delayMillis) {
        always.put(path, new Answer(200, delayMillis));
    }

    /** Every request to {@code path} is answered by {@code responder} (see {@link HostileEndpoints}). */
    public void respondWith(String path, Responder responder) {
        responders.put(path, responder);
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Received> all() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
        received.add(new Received(path, headers, body, System.nanoTime()));
        Responder responder = responders.get(path);
        if (responder != null) {
            responder.respond(exchange);
            return;
        }
        Deque<Answer> script = scripts.get(path);
        Answer answer =
                script != null && !script.isEmpty() ? script.poll() : always.getOrDefault(path, new Answer(200, 0));
        if (answer.delayMillis() > 0) {
            try {
                Thread.sleep(answer.delayMillis()); // plays a server that does not answer in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] response =
                (answer.status() == 200 ? "{\"ok\":true}" : "{\"ok\":false}").getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), response.length);
            out.write(response);
        } catch (IOException clientGaveUp) {
            // the relay timed out first: expected for stalled paths
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
