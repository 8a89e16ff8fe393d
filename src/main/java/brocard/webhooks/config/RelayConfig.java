package brocard.webhooks.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The OTP relay: consumes brocard.otp and delivers each code to its cardholder. */
@ConfigMapping(prefix = "brocard.relay")
public interface RelayConfig {

    /**
     * Whether this process runs the relay. Switch it off on the ingest deployment and on for a relay-only deployment
     * of the same image, or leave it on everywhere (replicas share the consumer group).
     */
    @WithDefault("true")
    boolean enabled();

    /** Recipient whose routes receive codes for recipients missing from the directory (e.g. the team owner). */
    Optional<Long> fallbackRecipientId();

    /** Threads that run deliveries; one slow channel holds one thread, never the others' codes. */
    @WithDefault("64")
    int workers();

    /** Threads that decrypt and look up recipients for incoming events. */
    @WithDefault("8")
    int intakeThreads();

    /**
     * Most events being worked on at once; beyond it the relay stops taking events from Kafka until some finish
     * (backpressure instead of an unbounded queue after a backlog).
     */
    @WithDefault("2000")
    int maxInFlight();

    /** How long the delivery log (otp_delivery) is kept. */
    @WithDefault("30d")
    Duration logRetention();

    /** TCP connect timeout of outbound HTTP deliveries. */
    @WithDefault("1s")
    Duration connectTimeout();

    /**
     * Deadline of one delivery attempt (HTTP or SMTP). For HTTP it covers the whole exchange: connect, TLS, the
     * request, the answer and its body, so an endpoint that trickles its answer cannot hold a worker longer.
     */
    @WithDefault("3s")
    Duration requestTimeout();

    /**
     * Largest HTTP answer body read from a channel; a longer one aborts the attempt (a failed delivery). Answers are
     * a few bytes ({@code {"ok":true}}), so anything big is a broken or hostile endpoint, not worth our memory.
     */
    @WithDefault("64K")
    MemorySize maxResponseSize();

    /** First retry delay; doubles per attempt up to {@link #retryMaxBackoff()}, until the code expires. */
    @WithDefault("200ms")
    Duration retryInitialBackoff();

    @WithDefault("5s")
    Duration retryMaxBackoff();

    /**
     * Allow deliveries to loopback, link-local and private addresses. Off in production (a route must not reach
     * into the cluster); on for local runs and tests, whose channel servers are on localhost.
     */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /** Allow plain-http webhook and Slack URLs (local use only). */
    @WithDefault("false")
    boolean allowInsecureUrls();

    /**
     * How long a (code, route) claim holds without renewal. Another replica takes a claim over only after this, so it
     * is how long a code waits after its relay instance died mid-delivery; it must exceed one attempt
     * ({@link #requestTimeout()}) with room to spare, or a slow attempt would be taken over and sent twice.
     */
    @WithDefault("15s")
    Duration claimLease();

    /** How often a copy of an event whose route another live instance holds looks again (until final or expired). */
    @WithDefault("1s")
    Duration claimRecheck();

    /**
     * Added to the code TTL ({@code brocard.otp.secret-ttl}) to get the longest an event may stay unacknowledged
     * before the relay counts as stuck: health DOWN, and the Kafka connector gives the consumer up. Covers the final
     * status being retried into the database after the code expired (1 min) and clock skew.
     */
    @WithDefault("2m")
    Duration ackTimeoutMargin();

    /**
     * Look a recipient missing from the directory up in Brocard's REST API ({@code GET users/{id}}, needs
     * {@code BROCARD_API_KEY}) and e-mail the code to the address Brocard holds, instead of only the fallback
     * recipient. Off by default: it sends codes to an address no operator entered.
     */
    @WithDefault("false")
    boolean resolveUnknownRecipients();

    /**
     * Longest a code waits for that look-up (retries included); past it, or on any failure, the code goes to the
     * fallback recipient as without the setting. A code lives for minutes, so this stays short.
     */
    @WithDefault("1500ms")
    Duration resolveTimeout();

    /** How long an answer of the look-up (an address, or "no such user / no address") is reused. */
    @WithDefault("10m")
    Duration resolveCacheTtl();

    /**
     * After a look-up failed or timed out, how long no new look-up is made (unknown recipients go straight to the
     * fallback; cached answers still serve): while Brocard is down, codes must not each wait {@link #resolveTimeout()}.
     */
    @WithDefault("30s")
    Duration resolvePauseAfterFailure();

    Telegram telegram();

    /** Telegram Bot API. */
    interface Telegram {

        /** Bot token (env BROCARD_RELAY_TELEGRAM_BOT_TOKEN), from a secret. Without it telegram routes fail. */
        Optional<String> botToken();

        /** Bot API base URL; a test points it at a local server that speaks the same API. */
        @WithDefault("https://api.telegram.org")
        String baseUrl();
    }
}
