package brocard.webhooks.reconcile;

import brocard.webhooks.admin.AdminPrincipal;
import brocard.webhooks.config.ReconcileConfig;
import brocard.webhooks.http.ErrorBody;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Operator API of reconciliation (Bearer admin token, {@code AdminAuthFilter}): ask for a run over a window, follow
 * it, list recent runs. Only translates HTTP; runs start in {@link Reconciliations#request}.
 */
@Path("/admin/reconciliations")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationAdminResource {

    private final AdminPrincipal operator;

    private final Reconciliations reconciliations;
    private final RunStore runs;
    private final ReconcileConfig config;

    public ReconciliationAdminResource(
            Reconciliations reconciliations, RunStore runs, ReconcileConfig config, AdminPrincipal operator) {
        this.operator = operator;
        this.reconciliations = reconciliations;
        this.runs = runs;
        this.config = config;
    }

    /**
     * {@code {"from": "Y-m-d H:i:s", "to": "Y-m-d H:i:s", "kinds": ["payments","refunds"]}}, at the provider's time
     * zone; {@code kinds} optional (both). {@code 202 {"id": …}}; {@code 409} without an API key; {@code 422} with
     * each field's problem.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response request(JsonNode body) {
        if (!reconciliations.isEnabled()) {
            return ErrorBody.response(
                            409, new Reconciliations.NotConfiguredException().getMessage(), Map.of(), UUID.randomUUID())
                    .build();
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        LocalDateTime from = date(body, "from", errors);
        LocalDateTime to = date(body, "to", errors);
        List<RunKind> kinds = kinds(body, errors);
        if (from != null && to != null) {
            if (!from.isBefore(to)) {
                errors.put("to", List.of("The to field must be a date after from."));
            } else if (Duration.between(from, to).compareTo(config.maxWindow()) > 0) {
                errors.put(
                        "to",
                        List.of("The window must not be longer than "
                                + config.maxWindow().toHours() + " hours; ask for several runs."));
            }
        }
        if (!errors.isEmpty()) {
            return ErrorBody.response(422, "The given data was invalid.", errors, UUID.randomUUID())
                    .build();
        }
        long id = reconciliations.request(new ReconcileWindow(from, to), kinds, operator.name());
        return Response.accepted(Map.of("id", id))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    @GET
    @Path("{id}")
    public ReconciliationRun get(@PathParam("id") long id) {
        return runs.find(id).orElseThrow(() -> new NotFoundException("No reconciliation " + id));
    }

    /** The most recent runs, newest first. */
    @GET
    public List<ReconciliationRun> list() {
        return runs.recent(config.listLimit());
    }

    private static LocalDateTime date(JsonNode body, String field, Map<String, List<String>> errors) {
        JsonNode value = body == null ? null : body.get(field);
        if (value == null || value.isNull()) {
            errors.put(field, List.of("The " + field + " field is required."));
            return null;
        }
        try {
            return ReconcileWindow.parse(value.asText());
        } catch (DateTimeParseException e) {
            errors.put(field, List.of("The " + field + " does not match the format Y-m-d H:i:s."));
            return null;
        }
    }

    private static List<RunKind> kinds(JsonNode body, Map<String, List<String>> errors) {
        JsonNode value = body == null ? null : body.get("kinds");
        if (value == null || value.isNull()) {
            return List.of(RunKind.values());
        }
        if (!value.isArray() || value.isEmpty()) {
            errors.put("kinds", List.of("The kinds field must be a non-empty list of payments, refunds."));
            return List.of();
        }
        List<RunKind> kinds = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            var kind = RunKind.fromWireName(value.get(i).asText());
            if (kind.isEmpty()) {
                errors.put("kinds." + i, List.of("The kinds." + i + " must be payments or refunds."));
            } else if (!kinds.contains(kind.get())) {
                kinds.add(kind.get());
            }
        }
        return kinds;
    }
}
