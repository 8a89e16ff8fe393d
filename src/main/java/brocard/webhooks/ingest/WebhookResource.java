package brocard.webhooks.ingest;

import brocard.webhooks.http.ErrorBody;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * Brocard's webhook URLs. Thin: it hands the raw request to {@link IngestService} and translates the outcome to HTTP.
 * Non-blocking: it runs on the event loop and answers when the webhook's batch is committed, so no thread waits on
 * the database per request.
 * Authentication ({@code WebhookAuthFilter}) and the body size limit (413, from the HTTP layer) happen before this.
 * Any content type is let in here so that a wrong one is answered 415 <em>and</em> quarantined, and whatever the
 * client accepts, the answer is JSON ({@link WebhookNegotiation}).
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
    public Uni<Response> combined(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.COMBINED, body, headers, request);
    }

    @POST
    @Path("payments")
    public Uni<Response> payments(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.PAYMENTS, body, headers, request);
    }

    @POST
    @Path("refunds")
    public Uni<Response> refunds(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.REFUNDS, body, headers, request);
    }

    /** 3-D Secure codes (Brocard's "3DS Webhooks URL"). */
    @POST
    @Path("3ds")
    public Uni<Response> threeDs(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.THREE_DS, body, headers, request);
    }

    private Uni<Response> handle(Endpoint endpoint, byte[] body, HttpHeaders headers, HttpServerRequest request) {
        // Content-Type from the raw request: WebhookNegotiation may have replaced an unparseable one for matching.
        RawWebhook raw = new RawWebhook(endpoint, body == null ? new byte[0] : body,
                request.getHeader(HttpHeaders.CONTENT_TYPE),
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                headers.getHeaderString(HttpHeaders.USER_AGENT));
        return ingest.ingest(raw).map(WebhookResource::toResponse);
    }

    /** The HTTP answer to an outcome; also used by the quarantine replay. */
    public static Response toResponse(IngestOutcome outcome) {
        if (outcome instanceof IngestOutcome.Stored stored) {
            return Response.ok(stored.result()).build();
        }
        if (outcome instanceof IngestOutcome.Rejected rejected) {
            return ErrorBody.response(rejected.error().reason().httpStatus(), rejected.error().getMessage(),
                    rejected.error().fieldErrors(), rejected.requestId()).build();
        }
        IngestOutcome.Unavailable unavailable = (IngestOutcome.Unavailable) outcome;
        return ErrorBody.response(Response.Status.SERVICE_UNAVAILABLE.getStatusCode(),
                        unavailable.error().getMessage(), Map.of(), unavailable.requestId())
                .header(HttpHeaders.RETRY_AFTER, Math.max(1, unavailable.retryAfter().toSeconds()))
                .build();
    }
}
