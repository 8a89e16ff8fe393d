package brocard.webhooks.admin;

import brocard.webhooks.security.TokenSet;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Optional;

/**
 * Bearer-token authentication of the operator API under {@code /admin/}. Tokens come from {@code brocard.admin.tokens}
 * (env {@code BROCARD_ADMIN_TOKENS}); with none configured the operator API refuses every request.
 */
public class AdminAuthFilter {

    private static final String ADMIN_PATH = "/admin/";

    private final TokenSet tokens;

    public AdminAuthFilter(@ConfigProperty(name = "brocard.admin.tokens") Optional<List<String>> tokens) {
        this.tokens = new TokenSet(tokens.orElse(List.of()));
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith(ADMIN_PATH)) {
            return Optional.empty();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        if (bearer && tokens.matches(authorization.substring(7).trim())) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
    }
}
