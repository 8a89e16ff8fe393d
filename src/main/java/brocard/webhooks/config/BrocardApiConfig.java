package brocard.webhooks.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Brocard's REST API, read by reconciliation (env {@code BROCARD_API_BASE_URL}, {@code BROCARD_API_KEY}). */
@ConfigMapping(prefix = "brocard.api")
public interface BrocardApiConfig {

    /** The provider's {@code …/api/v2} base URL. */
    @WithDefault("https://private.mybrocard.com/api/v2")
    URI baseUrl();

    /** The Bearer API key (from a Secret). Without one, reconciliation is off. Never logged. */
    Optional<String> key();

    /** Time to establish a connection. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Time to wait for an answer once connected; a slower answer counts as a failed attempt. */
    @WithDefault("30s")
    Duration readTimeout();

    /** Attempts per request (the first included) on 429, 5xx, timeouts and connection errors. */
    @WithDefault("4")
    int maxAttempts();

    /** Wait before the first retry; doubled for each further one (a 429's Retry-After wins if longer). */
    @WithDefault("1s")
    Duration retryBackoff();

    /** Longest wait before a retry, whatever Retry-After asks. */
    @WithDefault("30s")
    Duration maxRetryBackoff();

    /** Our own limit on requests per second to Brocard's API, across all runs of this replica. */
    @WithDefault("5")
    double requestsPerSecond();

    /** Items per list page (Brocard allows up to 1000). */
    @WithDefault("200")
    int perPage();
}
