package brocard.webhooks.ingest;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Brocard's webhook URLs. Thin: it hands the raw request to {@link IngestService} and translates the outcome to HTTP.
 * Authentication ({@code WebhookAuthFilter}) and the body size limit (413, from the HTTP layer) happen before this.
 * Any content type is let in here so that a wrong one is answered 415 <em>and</em> quarantined.
 */
@Path("/webhooks/brocard")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final IngestService ingest;

    public WebhookResource(IngestService ingest) {
        this.ingest = ingest;
    }

    /** Payments and refunds (Brocard's "Webhooks URL"); also takes 3DS codes. */
    @POST
    public Response combined(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.COMBINED, body, headers, request);
    }

    @POST
    @Path("payments")
    public Response payments(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.PAYMENTS, body, headers, request);
    }

    @POST
    @Path("refunds")
    public Response refunds(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.REFUNDS, body, headers, request);
    }

    /** 3-D Secure codes (Brocard's "3DS Webhooks URL"). */
    @POST
    @Path("3ds")
    public Response threeDs(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.THREE_DS, body, headers, request);
    }

    private Response handle(Endpoint endpoint, byte[] body, HttpHeaders headers, HttpServerRequest request) {
        RawWebhook raw = new RawWebhook(endpoint, body == null ? new byte[0] : body,
                headers.getHeaderString(HttpHeaders.CONTENT_TYPE), request.remoteAddress().hostAddress(),
                headers.getHeaderString(HttpHeaders.USER_AGENT));
        IngestOutcome outcome = ingest.ingest(raw);
        if (outcome instanceof IngestOutcome.Rejected rejected) {
            return Response.status(rejected.error().reason().httpStatus())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(errorBody(rejected))
                    .build();
        }
        return Response.ok(((IngestOutcome.Stored) outcome).result()).build();
    }

    /** Brocard's own error format, plus the id under which the refused body is kept. */
    private static Map<String, Object> errorBody(IngestOutcome.Rejected rejected) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", rejected.error().getMessage());
        body.put("errors", rejected.error().fieldErrors());
        body.put("request_id", rejected.requestId().toString());
        return body;
    }
}
