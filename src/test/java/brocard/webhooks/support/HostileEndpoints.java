package brocard.webhooks.support;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cardholder endpoints that misbehave on purpose, for {@link ChannelServer#respondWith}: each answers 200 at once and
 * then makes its body a problem, and records when and how far it got before the client hung up.
 */
public final class HostileEndpoints {

    private static final ScheduledExecutorService PACER = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "trickling-endpoint");
        thread.setDaemon(true);
        return thread;
    });

    private HostileEndpoints() {}

    /** Sends the headers, then one byte of body per {@code interval} for {@code total}, then ends the answer. */
    public static final class Trickle implements ChannelServer.Responder {
        private final Duration interval;
        private final long bytes;
        private final List<Long> hungUpAfterMillis = new CopyOnWriteArrayList<>();

        public Trickle(Duration interval, Duration total) {
            this.interval = interval;
            this.bytes = total.toMillis() / interval.toMillis();
        }

        /** Per request: how long after the headers the client closed the connection. */
        public List<Long> hungUpAfterMillis() {
            return List.copyOf(hungUpAfterMillis);
        }

        @Override
        public void respond(HttpExchange exchange) throws IOException {
            long start = System.nanoTime();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0); // chunked: the body follows, slowly
            OutputStream out = exchange.getResponseBody();
            AtomicReference<ScheduledFuture<?>> pacing = new AtomicReference<>();
            long[] sent = {0};
            // Paced by a timer, not by a sleeping handler thread.
            pacing.set(PACER.scheduleAtFixedRate(
                    () -> {
                        try {
                            out.write(' ');
                            out.flush();
                            if (++sent[0] >= bytes) {
                                out.write("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
                                out.close();
                                pacing.get().cancel(false);
                            }
                        } catch (IOException hungUp) {
                            hungUpAfterMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                            exchange.close();
                            pacing.get().cancel(false);
                        }
                    },
                    interval.toMillis(),
                    interval.toMillis(),
                    TimeUnit.MILLISECONDS));
        }
    }

    /** Sends the headers, then {@code totalBytes} of body as fast as the client takes them. */
    public static final class Flood implements ChannelServer.Responder {
        private final long totalBytes;
        private final List<Long> bytesBeforeHangUp = new CopyOnWriteArrayList<>();
        private final List<Long> completed = new CopyOnWriteArrayList<>();

        public Flood(long totalBytes) {
            this.totalBytes = totalBytes;
        }

        /** Per request cut short by the client: how many bytes had been written (some still in socket buffers). */
        public List<Long> bytesBeforeHangUp() {
            return List.copyOf(bytesBeforeHangUp);
        }

        /** Per request the client read to the end. */
        public List<Long> completed() {
            return List.copyOf(completed);
        }

        @Override
        public void respond(HttpExchange exchange) {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            long written = 0;
            try (OutputStream out = exchange.getResponseBody()) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0); // chunked: no length announced, the client must count
                while (written < totalBytes) {
                    out.write(chunk);
                    written += chunk.length;
                }
                completed.add(written);
            } catch (IOException hungUp) {
                bytesBeforeHangUp.add(written);
            }
        }
    }

    /** Answers 302 to {@code location}. */
    public static ChannelServer.Responder redirectTo(String location) {
        return exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        };
    }
}
