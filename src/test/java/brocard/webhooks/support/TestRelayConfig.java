package brocard.webhooks.support;

import brocard.webhooks.config.RelayConfig;
import io.quarkus.runtime.configuration.MemorySize;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;

/** Relay settings for tests that build relay classes without the application (the URL guard, the HTTP sender). */
public record TestRelayConfig(
        boolean allowPrivateTargets, boolean allowInsecureUrls, Duration requestTimeout, long maxResponseBytes)
        implements RelayConfig {

    /** As in production: internal targets and plain http refused. */
    public static TestRelayConfig production() {
        return new TestRelayConfig(false, false, Duration.ofSeconds(1), 64 * 1024);
    }

    /** As in the dev and test profiles: local http servers allowed. */
    public static TestRelayConfig local() {
        return new TestRelayConfig(true, true, Duration.ofSeconds(1), 64 * 1024);
    }

    public TestRelayConfig withRequestTimeout(Duration timeout) {
        return new TestRelayConfig(allowPrivateTargets, allowInsecureUrls, timeout, maxResponseBytes);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Optional<Long> fallbackRecipientId() {
        return Optional.empty();
    }

    @Override
    public boolean resolveUnknownRecipients() {
        return false;
    }

    @Override
    public Duration resolveTimeout() {
        return Duration.ofMillis(1500);
    }

    @Override
    public Duration resolveCacheTtl() {
        return Duration.ofMinutes(10);
    }

    @Override
    public Duration resolvePauseAfterFailure() {
        return Duration.ofSeconds(30);
    }

    @Override
    public int workers() {
        return 4;
    }

    @Override
    public int intakeThreads() {
        return 1;
    }

    @Override
    public int maxInFlight() {
        return 1;
    }

    @Override
    public Duration logRetention() {
        return Duration.ofDays(1);
    }

    @Override
    public Duration connectTimeout() {
        return Duration.ofSeconds(1);
    }

    @Override
    public MemorySize maxResponseSize() {
        return new MemorySize(BigInteger.valueOf(maxResponseBytes));
    }

    @Override
    public Duration retryInitialBackoff() {
        return Duration.ofMillis(100);
    }

    @Override
    public Duration retryMaxBackoff() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Duration claimLease() {
        return Duration.ofSeconds(15);
    }

    @Override
    public Duration claimRecheck() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Duration ackTimeoutMargin() {
        return Duration.ofMinutes(2);
    }

    @Override
    public Telegram telegram() {
        return null;
    }
}
