package brocard.webhooks.http;

import brocard.webhooks.config.IngestConfig;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The one answer to everything no one else answered: {@code 503} with {@code Retry-After} when the database cannot
 * serve us now, else {@code 500}, both in Brocard's error format with a fresh {@code request_id}, and one log line
 * with that id, the method, the route template and the exception classes. Never the URI (the webhook token may be in
 * its query string), headers or body, nor exception messages (a driver's message may quote a stored value).
 * Without it, an unmapped exception reaches Quarkus' own error handler, which logs the raw URI, token included.
 * A {@link WebApplicationException} keeps its own response (404, 405, …).
 */
public class UnexpectedFailureMapper {

    private static final Logger LOG = Logger.getLogger(UnexpectedFailureMapper.class);
    private static final int MAX_CAUSES = 8;

    private final long retryAfterSeconds;

    public UnexpectedFailureMapper(IngestConfig config) {
        this.retryAfterSeconds = Math.max(1, config.retryAfter().toSeconds());
    }

    @ServerExceptionMapper
    public Response map(Throwable failure, ContainerRequestContext request, ResourceInfo resource) {
        if (failure instanceof WebApplicationException webApplication) {
            return webApplication.getResponse();
        }
        UUID requestId = UUID.randomUUID();
        String route = request.getMethod() + " " + routeTemplate(resource);
        if (failure instanceof IOException) {
            // Reading the body or writing the answer failed: the client went away, or the HTTP layer refused the body
            // (413) and already answered. Nobody is left to answer, and it is no fault of ours.
            LOG.debugf("Request %s (%s): connection failed: %s", requestId, route, describe(failure));
            return ErrorBody.response(
                            Response.Status.BAD_REQUEST.getStatusCode(),
                            "The request could not be read.",
                            Map.of(),
                            requestId)
                    .build();
        }
        if (DatabaseUnavailable.isCauseOf(failure)) {
            LOG.warnf("Request %s (%s) answered 503, database unavailable: %s", requestId, route, describe(failure));
            return ErrorBody.response(
                            Response.Status.SERVICE_UNAVAILABLE.getStatusCode(),
                            "The service cannot reach its database; retry shortly.",
                            Map.of(),
                            requestId)
                    .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                    .build();
        }
        LOG.errorf("Request %s (%s) answered 500, unexpected failure: %s", requestId, route, describe(failure));
        return ErrorBody.response(
                        Response.Status.INTERNAL_SERVER_ERROR.getStatusCode(),
                        "The request could not be processed because of an internal error.",
                        Map.of(),
                        requestId)
                .build();
    }

    /** {@code /webhooks/brocard/3ds}, {@code /admin/quarantine/{id}}: the matched resource's paths, not the URI. */
    static String routeTemplate(ResourceInfo resource) {
        Class<?> resourceClass = resource == null ? null : resource.getResourceClass();
        Method method = resource == null ? null : resource.getResourceMethod();
        if (resourceClass == null || method == null) {
            return "(no route matched)";
        }
        String template = path(resourceClass.getAnnotation(Path.class)) + path(method.getAnnotation(Path.class));
        return template.isEmpty() ? "/" : template;
    }

    private static String path(Path path) {
        if (path == null || path.value().isEmpty() || path.value().equals("/")) {
            return "";
        }
        String value = path.value().endsWith("/")
                ? path.value().substring(0, path.value().length() - 1)
                : path.value();
        return value.startsWith("/") ? value : "/" + value;
    }

    /**
     * The cause chain as class names (with SQLStates), and where the innermost cause was thrown: enough to find the
     * fault from the request id, with nothing of the request's content.
     */
    public static String describe(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable innermost = failure;
        for (Throwable t = failure; t != null && seen.add(t) && seen.size() <= MAX_CAUSES; t = t.getCause()) {
            if (chain.length() > 0) {
                chain.append(" < ");
            }
            chain.append(t.getClass().getName());
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                chain.append(" [SQLState ").append(sql.getSQLState()).append(']');
            }
            innermost = t;
        }
        StackTraceElement[] trace = innermost.getStackTrace();
        if (trace.length > 0) {
            chain.append(" at ").append(trace[0]);
        }
        return chain.toString();
    }
}
