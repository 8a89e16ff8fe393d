package brocard.webhooks.relay.channel;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP exchange, run on the Vert.x event loop, that ends by a single deadline whatever the other side does:
 * the timer covers connecting, TLS, sending, the answer's head and its whole body, so a server that answers headers
 * and then trickles the body is cut off like one that never answers. The body of a 2xx answer is kept up to
 * {@code maxBytes} and the exchange is aborted as soon as it would grow beyond; other answers are not read at all
 * (only their status matters). Aborting resets the request, which closes an HTTP/1.1 connection.
 */
final class BoundedExchange {

    /** Status and body (only for 2xx) of a complete answer. */
    record Answer(int status, String body) {}

    private final CompletableFuture<Answer> result = new CompletableFuture<>();
    private final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    private final long maxBytes;

    private BoundedExchange(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Starts the exchange; the returned future completes by the deadline, exceptionally with a
     * {@link DeliveryException} ({@code timeout}, {@code response too large}) or the client's own error.
     */
    static BoundedExchange start(
            Vertx vertx, HttpClient client, RequestOptions options, Buffer body, long maxBytes, Duration deadline) {
        BoundedExchange exchange = new BoundedExchange(maxBytes);
        long timer = vertx.setTimer(
                Math.max(1, deadline.toMillis()), id -> exchange.abort(DeliveryException.retryable("timeout")));
        exchange.result.whenComplete((answer, error) -> vertx.cancelTimer(timer));
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                exchange.result.completeExceptionally(created.cause());
                return;
            }
            exchange.request.set(created.result());
            if (exchange.result.isDone()) {
                created.result().reset(); // the deadline passed while we waited for a connection
                return;
            }
            // Failures reach us through send()'s future; without a handler Vert.x would also log each one.
            created.result().exceptionHandler(ignored -> {});
            created.result().send(body).onComplete(sent -> {
                if (sent.failed()) {
                    exchange.result.completeExceptionally(sent.cause());
                } else {
                    exchange.receive(sent.result());
                }
            });
        });
        return exchange;
    }

    CompletableFuture<Answer> result() {
        return result;
    }

    /** Ends the exchange now (deadline, size cap, or the caller gave up); a no-op once it has ended. */
    void abort(Throwable reason) {
        if (result.completeExceptionally(reason)) {
            HttpClientRequest current = request.get();
            if (current != null) {
                current.reset();
            }
        }
    }

    private void receive(HttpClientResponse response) {
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            // Nothing in the body changes the outcome, and reading it would hand the other side our time.
            if (result.complete(new Answer(status, null))) {
                response.exceptionHandler(ignored -> {}); // the reset below is ours; Vert.x would log it as an error
                response.request().reset();
            }
            return;
        }
        if (declaredLength(response) > maxBytes) {
            abort(tooLarge());
            return;
        }
        Buffer received = Buffer.buffer();
        response.handler(chunk -> {
            if (received.length() + (long) chunk.length() > maxBytes) {
                abort(tooLarge());
            } else if (!result.isDone()) {
                received.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(result::completeExceptionally);
        response.endHandler(end -> result.complete(new Answer(status, received.toString(StandardCharsets.UTF_8))));
    }

    private static long declaredLength(HttpClientResponse response) {
        try {
            String length = response.getHeader("Content-Length");
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // the codec refuses a malformed length anyway
        }
    }

    private static DeliveryException tooLarge() {
        return DeliveryException.permanent("response too large");
    }
}
