package brocard.webhooks.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Brocard's own error format, {@code {"message": …, "errors": {"field": ["…"]}, "request_id": …}}: every error
 * this service answers looks like this, whether a webhook was refused (the id is its quarantine row) or something
 * failed (the id is the one in the log line). Messages name fields, never values.
 */
public final class ErrorBody {

    private ErrorBody() {}

    public static Map<String, Object> of(String message, Map<String, List<String>> errors, UUID requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("errors", errors);
        body.put("request_id", requestId.toString());
        return body;
    }

    /** A response with this body as JSON; callers add headers such as {@code Retry-After}. */
    public static Response.ResponseBuilder response(
            int status, String message, Map<String, List<String>> errors, UUID requestId) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(of(message, errors, requestId));
    }
}
