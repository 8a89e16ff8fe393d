package brocard.webhooks.admin;

import brocard.webhooks.http.ErrorBody;
import brocard.webhooks.inbound.Endpoint;
import brocard.webhooks.inbound.RawWebhook;
import brocard.webhooks.ingest.IngestOutcome;
import brocard.webhooks.ingest.IngestService;
import brocard.webhooks.ingest.WebhookResource;
import brocard.webhooks.json.Json;
import brocard.webhooks.quarantine.QuarantineService;
import brocard.webhooks.quarantine.QuarantinedWebhook;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Operator API for refused webhooks: list and inspect them (secrets never shown), and re-ingest one once the cause is
 * fixed. A replay runs the normal ingest path on the original bytes, so deduplication still applies.
 */
@Path("/admin/quarantine")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Quarantine")
public class QuarantineAdminResource {

    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(30);

    /** One quarantined webhook as shown to an operator. */
    public record QuarantineView(
            UUID id,
            Instant receivedAt,
            String endpoint,
            String reason,
            int httpStatus,
            String message,
            JsonNode fieldErrors,
            String contentType,
            String remoteAddress,
            String userAgent,
            int bodySize,
            JsonNode bodyPreview,
            boolean bodyPurged,
            Instant replayedAt,
            String replayOutcome) {

        static QuarantineView of(QuarantinedWebhook q) {
            return new QuarantineView(
                    q.id,
                    q.receivedAt,
                    q.endpoint,
                    q.reason,
                    q.httpStatus,
                    q.message,
                    json(q.fieldErrors),
                    q.contentType,
                    q.remoteAddress,
                    q.userAgent,
                    q.bodySize,
                    json(q.bodyPreview),
                    q.bodyEncrypted == null,
                    q.replayedAt,
                    q.replayOutcome);
        }

        private static JsonNode json(String text) {
            try {
                return text == null ? null : Json.mapper().readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored JSON could not be read back", e);
            }
        }
    }

    /** The outcome of a replay: {@code accepted}, {@code duplicate}, or the reason it was refused again. */
    public record ReplayView(UUID id, String outcome, Object result) {}

    private final IngestService ingest;
    private final QuarantineService quarantine;
    private final AdminPrincipal operator;

    public QuarantineAdminResource(IngestService ingest, QuarantineService quarantine, AdminPrincipal operator) {
        this.ingest = ingest;
        this.quarantine = quarantine;
        this.operator = operator;
    }

    /** Newest first. */
    @GET
    @Operation(summary = "Refused webhooks, newest first", description = "Bodies are shown without secrets.")
    @Transactional
    public List<QuarantineView> list(
            @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("page") @DefaultValue("0") int page) {
        return QuarantinedWebhook.<QuarantinedWebhook>findAll(Sort.descending("receivedAt"))
                .page(Page.of(Math.max(0, page), Math.min(Math.max(1, limit), 500)))
                .stream()
                .map(QuarantineView::of)
                .toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One refused webhook: why, from where, and its body without secrets")
    @APIResponse(responseCode = "200", description = "Found.")
    @APIResponse(responseCode = "404", description = "No such quarantine id.")
    @Transactional
    public QuarantineView get(@PathParam("id") UUID id) {
        return QuarantineView.of(find(id));
    }

    /**
     * Re-ingests the original body as if Brocard had just sent it. By default to the same URL; {@code endpoint}
     * overrides it ({@code COMBINED}, {@code PAYMENTS}, {@code REFUNDS}, {@code THREE_DS}), for bodies refused only
     * because Brocard was configured with the wrong URL. Refused again, the webhook stays here (and the new refusal
     * is recorded as a new quarantine row, with the current reason).
     */
    @POST
    @Path("{id}/replay")
    @Operation(
            summary = "Re-ingest a refused webhook (write scope; audited)",
            description = "Runs the normal ingest path on the original bytes, at the original URL or at endpoint.")
    @APIResponse(responseCode = "200", description = "Replayed: outcome accepted, duplicate or the new refusal.")
    @APIResponse(responseCode = "404", description = "No such quarantine id.")
    @APIResponse(responseCode = "410", description = "A 3DS body purged after the secret TTL.")
    @APIResponse(
            responseCode = "503",
            description = "Not stored now; replay again.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
    public ReplayView replay(@PathParam("id") UUID id, @QueryParam("endpoint") Endpoint endpoint) {
        QuarantinedWebhook entry = find(id);
        if (entry.bodyEncrypted == null) {
            throw new WebApplicationException(ErrorBody.response(
                            Response.Status.GONE.getStatusCode(),
                            "This 3DS body was purged after the secret TTL; its code has expired.",
                            Map.of(),
                            UUID.randomUUID())
                    .build());
        }
        Endpoint replayedTo = endpoint != null ? endpoint : Endpoint.valueOf(entry.endpoint);
        RawWebhook raw = new RawWebhook(
                replayedTo, quarantine.originalBody(entry), entry.contentType, "replay", "quarantine-replay");
        IngestOutcome outcome = ingest.ingest(raw).await().atMost(REPLAY_TIMEOUT);
        if (outcome instanceof IngestOutcome.Unavailable) {
            throw new WebApplicationException(WebhookResource.toResponse(outcome)); // 503: try the replay again
        }
        String result = outcome instanceof IngestOutcome.Stored stored
                ? stored.result().status().name().toLowerCase()
                : ((IngestOutcome.Rejected) outcome).error().reason().name().toLowerCase();
        quarantine.recordReplay(id, result, operator.name(), replayedTo);
        return new ReplayView(
                id,
                result,
                outcome instanceof IngestOutcome.Stored stored
                        ? stored.result()
                        : ((IngestOutcome.Rejected) outcome).requestId());
    }

    private static QuarantinedWebhook find(UUID id) {
        QuarantinedWebhook entry = QuarantinedWebhook.findById(id);
        if (entry == null) {
            throw new NotFoundException("No quarantined webhook " + id);
        }
        return entry;
    }
}
