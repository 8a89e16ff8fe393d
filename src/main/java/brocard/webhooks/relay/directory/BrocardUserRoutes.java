package brocard.webhooks.relay.directory;

import brocard.webhooks.brocardapi.BrocardApiClient;
import brocard.webhooks.config.RelayConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * For a recipient missing from the directory: an e-mail route to the address Brocard holds for that user
 * ({@code GET users/{id}}), when {@code brocard.relay.resolve-unknown-recipients} is on. A code is time-critical, so
 * the look-up is bounded ({@code resolve-timeout}, the API client's retries included) and its answers are reused for
 * {@code resolve-cache-ttl}; whatever goes wrong (timeout, error, no such user, no usable address) the caller falls
 * back as before. After a failure or timeout no new look-up is made for {@code resolve-pause-after-failure}: while
 * Brocard is down, codes go to the fallback at once instead of each holding an intake thread for the timeout. The address appears in no log line, only masked ({@link #masked}).
 *
 * <p>Such a route has no row in {@code delivery_route}; its id is the negated recipient id ({@link #routeIdOf}), so the
 * delivery log's (code, route) claims work for it as for any route and never collide with a real one (those are
 * positive identity values).
 */
@ApplicationScoped
public class BrocardUserRoutes {

    private static final Logger LOG = Logger.getLogger(BrocardUserRoutes.class);
    private static final String LOOKUPS = "brocard.relay.recipient.lookups";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** Bounds memory if codes arrive for very many unknown recipients; past it the cache starts over. */
    private static final int MAX_CACHED = 10_000;

    /** One answer: the address, or none (no such user, or no usable address), until {@code until}. */
    private record Cached(Optional<String> email, String name, Instant until) {}

    private final BrocardApiClient api;
    private final RelayConfig config;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<Long, Cached> cache = new ConcurrentHashMap<>();
    /** Until when new look-ups are skipped, after a failure or timeout. */
    private volatile Instant pausedUntil = Instant.MIN;
    /** Few threads and a short queue: when Brocard is slow, codes fall back at once rather than queue up. */
    private final ThreadPoolExecutor lookups;

    public BrocardUserRoutes(BrocardApiClient api, RelayConfig config, MeterRegistry registry) {
        this.api = api;
        this.config = config;
        this.registry = registry;
        for (String outcome :
                List.of("resolved", "cached", "not_found", "no_email", "failed", "timed_out", "busy", "paused")) {
            registry.counter(LOOKUPS, "outcome", outcome);
        }
        AtomicInteger n = new AtomicInteger();
        this.lookups = new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64), r -> {
            Thread thread = new Thread(r, "recipient-lookup-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void warnIfUnusable(@Observes StartupEvent startup) {
        if (config.resolveUnknownRecipients() && !api.isConfigured()) {
            LOG.warn("brocard.relay.resolve-unknown-recipients is on but no Brocard API key is configured "
                    + "(BROCARD_API_KEY): unknown recipients go to the fallback recipient only");
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        lookups.shutdownNow();
    }

    /** The route id of a resolved recipient's e-mail route: never a real {@code delivery_route} id. */
    public static long routeIdOf(long recipientId) {
        return -recipientId;
    }

    /** @return an e-mail route for this recipient, or empty (setting off, no key, or the look-up gave nothing) */
    public Optional<RouteTarget> emailRouteFor(long recipientId) {
        if (!config.resolveUnknownRecipients() || !api.isConfigured()) {
            return Optional.empty();
        }
        Cached cached = cache.get(recipientId);
        if (cached != null && Instant.now().isBefore(cached.until())) {
            count("cached");
        } else if (Instant.now().isBefore(pausedUntil)) {
            count("paused");
            return Optional.empty();
        } else {
            cached = lookUp(recipientId);
            if (cached == null) {
                return Optional.empty(); // a failure: not cached, the next code asks again
            }
        }
        Cached answer = cached;
        return answer.email()
                .map(email -> new RouteTarget(
                        routeIdOf(recipientId), recipientId, answer.name(), Channel.EMAIL, email, null));
    }

    /** @return the answer (cached), or null if Brocard could not tell in time */
    private Cached lookUp(long recipientId) {
        Future<Optional<ObjectNode>> call;
        try {
            call = lookups.submit(() -> api.user(recipientId));
        } catch (RejectedExecutionException e) {
            count("busy");
            LOG.warnf("Recipient %d: too many Brocard user look-ups under way; using the fallback", recipientId);
            return null;
        }
        Optional<ObjectNode> user;
        try {
            user = call.get(config.resolveTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true); // stops the client's retries too (its waits are interruptible)
            count("timed_out");
            pause();
            LOG.warnf(
                    "Recipient %d: Brocard's users/{id} did not answer within %d ms; using the fallback",
                    recipientId, config.resolveTimeout().toMillis());
            return null;
        } catch (ExecutionException e) {
            count("failed");
            pause();
            // The client's messages name the endpoint and status, never the key or the answer's body.
            LOG.warnf(
                    "Recipient %d: Brocard user look-up failed (%s); using the fallback",
                    recipientId,
                    e.getCause() == null
                            ? e.getClass().getSimpleName()
                            : e.getCause().getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            return null;
        }
        Cached answer = answerOf(recipientId, user);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(recipientId, answer);
        return answer;
    }

    private Cached answerOf(long recipientId, Optional<ObjectNode> user) {
        Instant until = Instant.now().plus(config.resolveCacheTtl());
        if (user.isEmpty()) {
            count("not_found");
            LOG.infof("Recipient %d is not a Brocard user (users/{id} answered 404)", recipientId);
            return new Cached(Optional.empty(), null, until);
        }
        JsonNode email = user.get().get("email");
        String address = email != null && email.isTextual() ? email.textValue().trim() : "";
        // From a third party and about to become a mail header: only a plain address, no line breaks, no list.
        if (!EMAIL.matcher(address).matches() || address.length() > 254) {
            count("no_email");
            LOG.infof("Recipient %d: Brocard holds no usable e-mail address", recipientId);
            return new Cached(Optional.empty(), null, until);
        }
        count("resolved");
        LOG.infof("Recipient %d resolved through Brocard's users/{id} to %s", recipientId, masked(address));
        JsonNode name = user.get().get("name");
        return new Cached(
                Optional.of(address),
                name != null && name.isTextual() ? name.textValue() : "Brocard user " + recipientId,
                until);
    }

    private void pause() {
        pausedUntil = Instant.now().plus(config.resolvePauseAfterFailure());
        LOG.warnf(
                "Brocard user look-ups paused for %d s: unknown recipients go to the fallback meanwhile",
                config.resolvePauseAfterFailure().toSeconds());
    }

    /** Ends a pause after a failure at once (tests start from a clean state; nothing in production calls it). */
    public void resumeLookups() {
        pausedUntil = Instant.MIN;
    }

    /** {@code j***@e***.com}: enough for an operator to tell two addresses apart, not to write to one. */
    public static String masked(String email) {
        int at = email.indexOf('@');
        int dot = email.lastIndexOf('.');
        if (at < 1 || dot < at + 2) {
            return "***";
        }
        return email.charAt(0) + "***@" + email.charAt(at + 1) + "***" + email.substring(dot);
    }

    private void count(String outcome) {
        registry.counter(LOOKUPS, "outcome", outcome).increment();
    }
}
