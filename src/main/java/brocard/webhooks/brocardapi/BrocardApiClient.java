package brocard.webhooks.brocardapi;

import brocard.webhooks.concurrency.Backoff;
import brocard.webhooks.config.BrocardApiConfig;
import brocard.webhooks.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Typed access to Brocard's REST API: list payments and refunds of a date window page by page (either pagination
 * style), fetch one payment, refund or user. Every request waits for its turn under our own rate limit
 * ({@link RequestRate}), and is retried with exponential backoff on 429, 5xx, timeouts and connection errors
 * ({@code Retry-After} honoured up to a cap). A 401/403 is not retried: the key is wrong and will stay wrong.
 * The key is set once as a header; it appears in no log line, metric or exception message.
 */
@ApplicationScoped
public class BrocardApiClient {

    // Metric names of this feature, in one place (Prometheus names in docs/operations.md).
    static final String REQUESTS = "brocard.api.requests";

    private static final Logger LOG = Logger.getLogger(BrocardApiClient.class);

    private final BrocardApiConfig config;
    private final BrocardRestApi api;
    private final RequestRate rate;
    private final Backoff retryBackoff;
    private final MeterRegistry registry;

    public BrocardApiClient(BrocardApiConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.retryBackoff = new Backoff(config.retryBackoff(), config.maxRetryBackoff());
        // Every series at zero from the start, so an alert's increase() sees the first refusal.
        for (String endpoint : List.of("payments", "payment", "refunds", "refund", "user")) {
            for (String outcome : List.of(
                    "ok", "not_found", "unauthorized", "client_error", "throttled", "server_error", "unreachable")) {
                registry.counter(REQUESTS, "endpoint", endpoint, "outcome", outcome);
            }
        }
        this.rate = new RequestRate(config.requestsPerSecond());
        this.api = config.key()
                .filter(key -> !key.isBlank())
                .map(key -> build(config, key))
                .orElse(null);
    }

    private static BrocardRestApi build(BrocardApiConfig config, String key) {
        ClientHeadersFactory bearer = (incoming, outgoing) -> {
            MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
            headers.putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + key);
            return headers;
        };
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(config.baseUrl())
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .clientHeadersFactory(bearer)
                .loggingMaskedHeaders(Set.of(HttpHeaders.AUTHORIZATION))
                // Error statuses come back as responses: retries are decided here, not by exceptions.
                .disableDefaultMapper(true)
                .followRedirects(false)
                .build(BrocardRestApi.class);
    }

    /** Whether an API key is configured; without one nothing here may be called. */
    public boolean isConfigured() {
        return api != null;
    }

    /** One page of the payments created in the window ({@code Y-m-d H:i:s}, at the account's time zone). */
    public ListPage payments(String begin, String end, PageRequest request) {
        return ListPage.of(
                call("payments", () -> api().payments(begin, end, config.perPage(), request.page(), request.cursor()))
                        .orElseThrow(() -> new BrocardApiException("Brocard answered 404 to payments")));
    }

    public ListPage refunds(String begin, String end, PageRequest request) {
        return ListPage.of(call("refunds", () -> api().refunds(begin, end, config.perPage(), request.cursor()))
                .orElseThrow(() -> new BrocardApiException("Brocard answered 404 to refunds")));
    }

    /** @param tz a zone for the answer's dates ({@code UTC}), or null for the account's own zone */
    public Optional<ObjectNode> payment(long id, String tz) {
        return call("payment", () -> api().payment(id, tz)).map(BrocardApiClient::unwrap);
    }

    public Optional<ObjectNode> refund(long id) {
        return call("refund", () -> api().refund(id)).map(BrocardApiClient::unwrap);
    }

    public Optional<ObjectNode> user(long id) {
        return call("user", () -> api().user(id)).map(BrocardApiClient::unwrap);
    }

    /** A single entity: documented at the top level of the answer; tolerated inside {@code data} as well. */
    private static ObjectNode unwrap(JsonNode answer) {
        JsonNode entity = answer.path("data").isObject() ? answer.get("data") : answer;
        if (!entity.isObject()) {
            throw new BrocardApiException("Brocard's answer is not a JSON object");
        }
        ObjectNode copy = ((ObjectNode) entity).deepCopy();
        copy.remove("request_id"); // the API call's id, not the entity's
        return copy;
    }

    private BrocardRestApi api() {
        if (api == null) {
            throw new BrocardApiException("No Brocard API key is configured (BROCARD_API_KEY)");
        }
        return api;
    }

    /** @return the answer's JSON, or empty on 404 */
    private Optional<JsonNode> call(String endpoint, Supplier<Response> request) {
        int attempts = Math.max(1, config.maxAttempts());
        String lastFailure = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Duration retryAfter = null;
            try {
                rate.acquire();
                try (Response response = request.get()) {
                    int status = response.getStatus();
                    if (status >= 200 && status < 300) {
                        count(endpoint, "ok");
                        return Optional.of(read(response));
                    }
                    if (status == 404) {
                        count(endpoint, "not_found");
                        return Optional.empty();
                    }
                    String requestId = providerRequestId(response);
                    if (status == 401 || status == 403) {
                        count(endpoint, "unauthorized");
                        throw new BrocardApiException("Brocard's API refused the API key (" + status + ") on "
                                + endpoint + requestId + ": check BROCARD_API_KEY");
                    }
                    if (status != 429 && status < 500) {
                        count(endpoint, "client_error");
                        throw new BrocardApiException(
                                "Brocard's API answered " + status + " to " + endpoint + requestId);
                    }
                    count(endpoint, status == 429 ? "throttled" : "server_error");
                    lastFailure = "answered " + status + requestId;
                    retryAfter = retryAfter(response);
                }
            } catch (ProcessingException e) {
                // Timeout, refused connection, reset: the class names tell which (messages may quote the URL).
                count(endpoint, "unreachable");
                lastFailure = "failed with " + causes(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrocardApiException("Interrupted while calling Brocard's API", e);
            }
            if (attempt < attempts) {
                Duration wait = backoff(attempt, retryAfter);
                LOG.debugf(
                        "Brocard API %s %s (attempt %d of %d), retrying in %d ms",
                        endpoint, lastFailure, attempt, attempts, wait.toMillis());
                sleep(wait);
            }
        }
        throw new BrocardApiException(
                "Brocard's API " + lastFailure + " to " + endpoint + " after " + attempts + " attempts");
    }

    private Duration backoff(int attempt, Duration retryAfter) {
        long exponential = retryBackoff.millisBefore(attempt);
        long millis = Math.max(exponential, retryAfter == null ? 0 : retryAfter.toMillis());
        return Duration.ofMillis(Math.min(millis, config.maxRetryBackoff().toMillis()));
    }

    private static Duration retryAfter(Response response) {
        String header = response.getHeaderString("Retry-After");
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: rare enough for the exponential backoff to do
        }
    }

    private static JsonNode read(Response response) {
        try {
            byte[] body = response.readEntity(byte[].class);
            return Json.mapper().readTree(body);
        } catch (IOException | RuntimeException e) {
            throw new BrocardApiException("Brocard's API answered a body that is not JSON ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Brocard's own {@code request_id} of an error answer, for a support ticket. */
    private static String providerRequestId(Response response) {
        try {
            JsonNode body = Json.mapper().readTree(response.readEntity(byte[].class));
            JsonNode id = body == null ? null : body.get("request_id");
            return id != null && id.isTextual() && id.textValue().matches("[0-9a-fA-F-]{1,64}")
                    ? " (Brocard request_id " + id.textValue() + ")"
                    : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String causes(Throwable e) {
        StringBuilder classes = new StringBuilder(e.getClass().getSimpleName());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            classes.append(" < ").append(cause.getClass().getSimpleName());
        }
        return classes.toString();
    }

    private void count(String endpoint, String outcome) {
        registry.counter(REQUESTS, "endpoint", endpoint, "outcome", outcome).increment();
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrocardApiException("Interrupted while waiting to retry Brocard's API", e);
        }
    }
}
