package brocard.webhooks.ingest;

import brocard.webhooks.http.ErrorBody;
import brocard.webhooks.inbound.Endpoint;
import brocard.webhooks.inbound.RawWebhook;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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
@Tag(name = "Webhooks")
@SecurityRequirement(name = "webhookToken")
@SecurityRequirement(name = "webhookBasic")
// The answers every webhook URL may give (OpenAPI document: /q/openapi; shared schemas in META-INF/openapi.yaml).
@APIResponse(
        responseCode = "200",
        description = "Durably stored (committed): a new event, or a duplicate of one.",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "IngestResult")))
@APIResponse(
        responseCode = "400",
        description = "Not JSON, or not a JSON object. Quarantined.",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
@APIResponse(responseCode = "401", description = "No valid token (query token or Basic password). No body.")
@APIResponse(responseCode = "413", description = "Body larger than brocard.webhook.max-body-size (64K). No body.")
@APIResponse(
        responseCode = "415",
        description = "Content type is not JSON. Quarantined.",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
@APIResponse(
        responseCode = "422",
        description = "Fields missing, invalid, of another webhook type than the URL "
                + "takes, or not storable; every problem named by field path. Quarantined.",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
@APIResponse(
        responseCode = "500",
        description = "A fault of ours; the request_id is in the log line.",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
@APIResponse(
        responseCode = "503",
        description = "Not stored now (database unavailable or writer queue full): send " + "it again.",
        headers =
                @Header(
                        name = "Retry-After",
                        description = "Seconds to wait",
                        schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)),
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
public class WebhookResource {

    private final IngestService ingest;

    public WebhookResource(IngestService ingest) {
        this.ingest = ingest;
    }

    /** Payments and refunds (Brocard's "Webhooks URL"); also takes 3DS codes. */
    @POST
    @Operation(
            operationId = "webhook",
            summary = "Brocard's \"Webhooks URL\": payments and refunds (and 3DS codes)",
            description = "Dispatches on webhook_type (payment, refund, otp_code).")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(oneOf = {PaymentDoc.class, RefundDoc.class, OtpDoc.class}),
                            examples = {
                                @ExampleObject(name = "payment-current", ref = "payment-current"),
                                @ExampleObject(name = "payment-previous", ref = "payment-previous"),
                                @ExampleObject(name = "refund-current", ref = "refund-current"),
                                @ExampleObject(name = "refund-previous", ref = "refund-previous"),
                                @ExampleObject(name = "otp-example", ref = "otp-example")
                            }))
    public Uni<Response> combined(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.COMBINED, body, headers, request);
    }

    @POST
    @Path("payments")
    @Operation(
            operationId = "webhookPayments",
            summary = "Payments only",
            description = "A body whose webhook_type is not payment is 422.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "PaymentWebhook"),
                            examples = {
                                @ExampleObject(name = "payment-current", ref = "payment-current"),
                                @ExampleObject(name = "payment-previous", ref = "payment-previous")
                            }))
    public Uni<Response> payments(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.PAYMENTS, body, headers, request);
    }

    @POST
    @Path("refunds")
    @Operation(
            operationId = "webhookRefunds",
            summary = "Refunds only",
            description = "A body whose webhook_type is not refund is 422.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "RefundWebhook"),
                            examples = {
                                @ExampleObject(name = "refund-current", ref = "refund-current"),
                                @ExampleObject(name = "refund-previous", ref = "refund-previous")
                            }))
    public Uni<Response> refunds(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.REFUNDS, body, headers, request);
    }

    /** 3-D Secure codes (Brocard's "3DS Webhooks URL"). */
    @POST
    @Path("3ds")
    @Operation(
            operationId = "webhook3ds",
            summary = "Brocard's \"3DS Webhooks URL\": 3-D Secure codes",
            description = "The code (and password) are encrypted before they are stored or published, and relayed "
                    + "to the recipient's routes.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "OtpCodeWebhook"),
                            examples = {
                                @ExampleObject(name = "otp-example", ref = "otp-example"),
                                @ExampleObject(name = "otp-card-object", ref = "otp-card-object")
                            }))
    public Uni<Response> threeDs(byte[] body, HttpHeaders headers, HttpServerRequest request) {
        return handle(Endpoint.THREE_DS, body, headers, request);
    }

    private Uni<Response> handle(Endpoint endpoint, byte[] body, HttpHeaders headers, HttpServerRequest request) {
        // Content-Type from the raw request: WebhookNegotiation may have replaced an unparseable one for matching.
        RawWebhook raw = new RawWebhook(
                endpoint,
                body == null ? new byte[0] : body,
                request.getHeader(HttpHeaders.CONTENT_TYPE),
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                headers.getHeaderString(HttpHeaders.USER_AGENT));
        return ingest.ingest(raw).map(WebhookResource::toResponse);
    }

    /** The HTTP answer to an outcome; also used by the quarantine replay. */
    public static Response toResponse(IngestOutcome outcome) {
        if (outcome instanceof IngestOutcome.Stored stored) {
            return Response.ok(stored.result().json(), MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
        if (outcome instanceof IngestOutcome.Rejected rejected) {
            return ErrorBody.response(
                            rejected.error().reason().httpStatus(),
                            rejected.error().getMessage(),
                            rejected.error().fieldErrors(),
                            rejected.requestId())
                    .build();
        }
        IngestOutcome.Unavailable unavailable = (IngestOutcome.Unavailable) outcome;
        return ErrorBody.response(
                        Response.Status.SERVICE_UNAVAILABLE.getStatusCode(),
                        unavailable.error().getMessage(),
                        Map.of(),
                        unavailable.requestId())
                .header(
                        HttpHeaders.RETRY_AFTER,
                        Math.max(1, unavailable.retryAfter().toSeconds()))
                .build();
    }

    // Marker types so that the combined URL's body can say "one of" the three documented schemas.
    @Schema(ref = "PaymentWebhook")
    private static final class PaymentDoc {}

    @Schema(ref = "RefundWebhook")
    private static final class RefundDoc {}

    @Schema(ref = "OtpCodeWebhook")
    private static final class OtpDoc {}
}
