package brocard.webhooks.relay.channel;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.relay.directory.TargetGuard;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outbound HTTP of the HTTP channels: JSON POST on the Vert.x HTTP client, one deadline for the whole exchange
 * ({@code request-timeout}), a cap on the answer's size ({@code max-response-size}), redirects never followed (a
 * redirect could lead a code anywhere), and the target checked against internal addresses before each request.
 *
 * <p>The connection goes to the very address the {@link TargetGuard} approved; the URL's host name is still what the
 * server sees in {@code Host}, in TLS SNI and what its certificate is checked against. Letting the client resolve
 * the name again would let a DNS answer that changed in between (rebinding) reach an unchecked address.
 */
@ApplicationScoped
public class HttpSender {

    /** The event loop enforces the deadline; this is only how much later a blocked caller stops waiting anyway. */
    private static final long GRACE_MILLIS = 1000;

    private final Vertx vertx;
    private final HttpClient client;
    private final RelayConfig config;
    private final TargetGuard guard;

    @Inject
    public HttpSender(Vertx vertx, RelayConfig config, TargetGuard guard) {
        this(vertx, config, guard, null);
    }

    /** @param trust trust anchors for TLS instead of the JVM's (a test's own certificate authority); null: the JVM's */
    HttpSender(Vertx vertx, RelayConfig config, TargetGuard guard, TrustOptions trust) {
        this.vertx = vertx;
        this.config = config;
        this.guard = guard;
        HttpClientOptions options = new HttpClientOptions()
                .setName("brocard-relay")
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setVerifyHost(true) // against the URL's host name (the peer host), not the address we connect to
                .setDecompressionSupported(false); // a compressed answer could inflate far beyond the size cap
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        // As many connections per endpoint as attempts can run at once: Telegram's API is one endpoint for all.
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.workers()));
    }

    /** POSTs the JSON; returns the response body on 2xx. Holds the calling thread for at most the deadline. */
    public String postJson(URI url, String json, Map<String, String> headers) throws DeliveryException {
        InetAddress approved;
        try {
            approved = guard.check(url);
        } catch (TargetGuard.ForbiddenTargetException e) {
            throw DeliveryException.permanent("target refused: " + e.getMessage());
        } catch (TargetGuard.UnresolvableTargetException e) {
            throw DeliveryException.retryable(e.getMessage());
        }
        BoundedExchange exchange = BoundedExchange.start(
                vertx,
                client,
                request(url, approved, headers),
                Buffer.buffer(json),
                config.maxResponseSize().asLongValue(),
                config.requestTimeout());
        BoundedExchange.Answer answer;
        try {
            answer = exchange.result().get(config.requestTimeout().toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.abort(e);
            throw DeliveryException.retryable("timeout");
        } catch (InterruptedException e) {
            exchange.abort(e);
            Thread.currentThread().interrupt();
            throw DeliveryException.retryable("interrupted");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return answer.body();
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        throw new DeliveryException("HTTP " + status, retryable);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    private static RequestOptions request(URI url, InetAddress approved, Map<String, String> headers) {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        String host = url.getHost().startsWith("[")
                ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(approved, port)))
                .setHost(host)
                .setPort(port)
                .setSsl(https)
                .setURI(url.getRawQuery() == null ? path : path + "?" + url.getRawQuery())
                .setFollowRedirects(false)
                .putHeader("Host", url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + port)
                .putHeader("Content-Type", "application/json");
        headers.forEach(request::putHeader);
        return request;
    }

    /** Names what went wrong without its message: client messages can quote the URL, and a URL can hold a token. */
    private static DeliveryException failure(Throwable cause) {
        if (cause instanceof DeliveryException delivery) {
            return delivery;
        }
        if (cause instanceof ConnectTimeoutException) {
            return DeliveryException.retryable("timeout");
        }
        if (cause instanceof ConnectException) {
            return DeliveryException.retryable("ConnectException"); // Netty's subclass names the address
        }
        return DeliveryException.retryable(cause.getClass().getSimpleName());
    }
}
