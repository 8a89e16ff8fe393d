package brocard.webhooks.admin;

import brocard.webhooks.audit.AuditLog;
import brocard.webhooks.http.ErrorBody;
import brocard.webhooks.outbox.DeadLetters;
import brocard.webhooks.outbox.DeadLetters.DeadLetter;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Operator API for outbox events Kafka refused for good (parked after {@code brocard.outbox.max-attempts}): list them,
 * put one back in the queue once the cause is fixed ({@code retry}), or give it up so that the later events of its key
 * are published ({@code skip}). Until then the key's later events wait: nothing overtakes a parked event silently.
 */
@Path("/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterAdminResource {

    private static final int MAX_NOTE = 200;

    private final DeadLetters deadLetters;
    private final AuditLog audit;
    private final AdminPrincipal operator;

    public DeadLetterAdminResource(DeadLetters deadLetters, AuditLog audit, AdminPrincipal operator) {
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.operator = operator;
    }

    /** Newest first; the open ones only unless {@code all=true}. */
    @GET
    public List<DeadLetter> list(
            @QueryParam("all") @DefaultValue("false") boolean all,
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("page") @DefaultValue("0") int page) {
        int size = Math.min(Math.max(1, limit), 500);
        return deadLetters.list(all, size, Math.max(0, page) * size);
    }

    @GET
    @Path("{id}")
    public DeadLetter get(@PathParam("id") long id) {
        return deadLetters.get(id).orElseThrow(() -> refused(DeadLetters.Refusal.NOT_FOUND, id));
    }

    /** Back to the head of its key's queue with a fresh budget of attempts; parked again if it fails again. */
    @POST
    @Path("{id}/retry")
    public DeadLetter retry(@PathParam("id") long id, @QueryParam("note") String note) {
        return act(id, note, "dead-letter.retry", deadLetters::retry);
    }

    /** Never published by the service; the key's later events go. The event stays readable in the table. */
    @POST
    @Path("{id}/skip")
    public DeadLetter skip(@PathParam("id") long id, @QueryParam("note") String note) {
        return act(id, note, "dead-letter.skip", deadLetters::skip);
    }

    /** The action and its audit row in one transaction: an operator's decision is never applied unrecorded. */
    @Transactional
    DeadLetter act(
            long id, String note, String auditAction, BiFunction<Long, String, Optional<DeadLetters.Refusal>> action) {
        String cleanNote = note == null ? null : note.substring(0, Math.min(note.length(), MAX_NOTE));
        action.apply(id, cleanNote).ifPresent(refusal -> {
            throw refused(refusal, id);
        });
        DeadLetter resolved = deadLetters.get(id).orElseThrow();
        // What identifies the event for consumers; never its payload (a 3DS event's code).
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventId", resolved.eventId());
        details.put("topic", resolved.topic());
        details.put("key", resolved.key());
        details.put("eventType", resolved.eventType());
        details.put("note", cleanNote);
        audit.record(operator.name(), auditAction, "dead-letter/" + id, details);
        return resolved;
    }

    private static WebApplicationException refused(DeadLetters.Refusal refusal, long id) {
        int status = refusal == DeadLetters.Refusal.NOT_FOUND ? 404 : 409;
        String message = refusal == DeadLetters.Refusal.NOT_FOUND
                ? "No dead letter " + id + "."
                : "Dead letter " + id + " was already retried or skipped.";
        return new WebApplicationException(
                ErrorBody.response(status, message, Map.of(), UUID.randomUUID()).build());
    }
}
