package brocard.webhooks.relay;

import brocard.webhooks.config.RelayConfig;
import brocard.webhooks.relay.directory.RecipientRequest.RouteRequest;
import brocard.webhooks.relay.directory.Channel;
import brocard.webhooks.relay.directory.RouteValidator;
import brocard.webhooks.relay.directory.TargetGuard;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With production settings, routes cannot point into our own network or use plain http. */
class TargetGuardTest {

    private final RelayConfig production = config(false, false);

    @Test
    void internalAddressesAreRefused() {
        TargetGuard guard = new TargetGuard(production);
        for (String url : List.of("https://127.0.0.1/x", "https://localhost/x", "https://10.1.2.3/x",
                "https://192.168.0.10/x", "https://172.16.5.4/x", "https://169.254.169.254/latest/meta-data",
                "https://[::1]/x", "https://[fd00::1]/x", "https://100.64.0.1/x", "https://0.0.0.0/x")) {
            assertThrows(TargetGuard.ForbiddenTargetException.class, () -> guard.check(URI.create(url)), url);
        }
        assertDoesNotThrow(() -> guard.check(URI.create("https://93.184.216.34/hook")));
    }

    @Test
    void plainHttpIsRefusedUnlessAllowed() {
        assertThrows(TargetGuard.ForbiddenTargetException.class,
                () -> new TargetGuard(production).check(URI.create("http://93.184.216.34/hook")));
        assertDoesNotThrow(() -> new TargetGuard(config(true, true)).check(URI.create("http://localhost:1/x")));
    }

    @Test
    void theValidatorReportsRefusedTargetsPerRoute() {
        RouteValidator validator = new RouteValidator(new TargetGuard(production), production);
        var errors = validator.validate("", List.of(
                new RouteRequest(Channel.SLACK, "https://169.254.169.254/x", null, true, null),
                new RouteRequest(Channel.SLACK, "http://hooks.example.com/x", null, true, null),
                new RouteRequest(Channel.SLACK, "https://hooks.example.com/x", null, true, null)));
        assertTrue(errors.get("routes[0].target").get(0).startsWith("Not allowed"), errors.toString());
        assertEquals(List.of("The URL must be https."), errors.get("routes[1].target"));
        assertEquals(2, errors.size());
    }

    private static RelayConfig config(boolean allowPrivate, boolean allowHttp) {
        return new RelayConfig() {
            public boolean enabled() { return true; }
            public Optional<Long> fallbackRecipientId() { return Optional.empty(); }
            public int workers() { return 1; }
            public int intakeThreads() { return 1; }
            public int maxInFlight() { return 1; }
            public Duration logRetention() { return Duration.ofDays(1); }
            public Duration connectTimeout() { return Duration.ofSeconds(1); }
            public Duration requestTimeout() { return Duration.ofSeconds(1); }
            public Duration retryInitialBackoff() { return Duration.ofMillis(100); }
            public Duration retryMaxBackoff() { return Duration.ofSeconds(1); }
            public boolean allowPrivateTargets() { return allowPrivate; }
            public boolean allowInsecureUrls() { return allowHttp; }
            public Telegram telegram() { return null; }
        };
    }
}
