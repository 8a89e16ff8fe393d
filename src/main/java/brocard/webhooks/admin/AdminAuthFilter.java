package brocard.webhooks.admin;

import brocard.webhooks.http.ErrorBody;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Bearer-token authentication and authorization of the operator API under {@code /admin/}. Tokens and their names and
 * scopes come from {@code brocard.admin.tokens} (env {@code BROCARD_ADMIN_TOKENS}, see {@link AdminTokens}); with
 * none configured the operator API refuses every request. An unknown token is 401; a {@code read} token is 403 on
 * anything but GET. Refusals are counted ({@code brocard.admin.refused}) and logged with the token's name, never the
 * token.
 */
public class AdminAuthFilter {

    private static final Logger LOG = Logger.getLogger(AdminAuthFilter.class);
    private static final String ADMIN_PATH = "/admin/";

    private final AdminTokens tokens;
    private final AdminPrincipal principal;
    private final MeterRegistry registry;

    public AdminAuthFilter(
            @ConfigProperty(name = "brocard.admin.tokens") Optional<List<String>> tokens,
            AdminPrincipal principal,
            MeterRegistry registry) {
        this.tokens = new AdminTokens(tokens.orElse(List.of()));
        this.principal = principal;
        this.registry = registry;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(ADMIN_PATH) && !path.equals("/admin")) {
            return Optional.empty();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        Optional<AdminTokens.Operator> operator =
                bearer ? tokens.match(authorization.substring(7).trim()) : Optional.empty();
        if (operator.isEmpty()) {
            registry.counter(AdminMetricNames.REFUSED, "reason", "unauthenticated")
                    .increment();
            return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .build());
        }
        String method = request.getMethod();
        if (!operator.get().scope().allows(method)) {
            registry.counter(AdminMetricNames.REFUSED, "reason", "forbidden").increment();
            UUID requestId = UUID.randomUUID();
            LOG.warnf(
                    "Operator token %s (scope read) refused: %s %s (request %s)",
                    operator.get().name(), method, path, requestId);
            return Optional.of(ErrorBody.response(
                            Response.Status.FORBIDDEN.getStatusCode(),
                            "The token " + operator.get().name() + " may only read; this needs a write token.",
                            Map.of(),
                            requestId)
                    .build());
        }
        principal.authenticated(operator.get().name(), operator.get().scope());
        return Optional.empty();
    }
}
