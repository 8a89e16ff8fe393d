package brocard.webhooks.security;

import brocard.webhooks.config.WebhookConfig;
import brocard.webhooks.inbound.WebhookMetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Authenticates Brocard. Its dashboard only lets a customer configure a URL, so the shared secret travels in it:
 * either as {@code ?token=…} or as URL user-info ({@code https://brocard:TOKEN@host/…}), which clients send as HTTP
 * Basic credentials (the token may be the user or the password). Runs before anything reads the body, and a failure
 * answers a bare 401: nothing stored, nothing explained.
 */
public class WebhookAuthFilter {

    private static final String WEBHOOK_PATH = "/webhooks/";

    private final TokenSet tokens;
    private final MeterRegistry registry;

    public WebhookAuthFilter(WebhookConfig config, MeterRegistry registry) {
        this.tokens = new TokenSet(config.tokens());
        this.registry = registry;
        if (tokens.isEmpty()) {
            throw new IllegalStateException("brocard.webhook.tokens (env BROCARD_WEBHOOK_TOKENS) lists no token");
        }
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith(WEBHOOK_PATH)) {
            return Optional.empty();
        }
        String queryToken = request.getUriInfo().getQueryParameters().getFirst("token");
        if (tokens.matches(queryToken) || basicCredentialsMatch(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return Optional.empty();
        }
        registry.counter(WebhookMetricNames.RECEIVED, "type", "unknown", "outcome", "unauthorized")
                .increment();
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED).build());
    }

    private boolean basicCredentialsMatch(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String userAndPassword;
        try {
            userAndPassword = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = userAndPassword.indexOf(':');
        String user = colon < 0 ? userAndPassword : userAndPassword.substring(0, colon);
        String password = colon < 0 ? "" : userAndPassword.substring(colon + 1);
        // Both are checked (no short-circuit) so the time taken does not say which one matched.
        return tokens.matches(password) | tokens.matches(user);
    }
}
