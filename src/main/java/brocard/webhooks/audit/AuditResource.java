package brocard.webhooks.audit;

import brocard.webhooks.db.Jdbc;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the audit log (any operator token, {@code read} scope is enough). Newest first; page backwards with
 * {@code before} (the smallest id of the previous page). Filters combine.
 */
@Path("/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

    private final Jdbc jdbc;
    private final ObjectMapper mapper;

    public AuditResource(Jdbc jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    @GET
    @Operation(
            summary = "The audit log, newest first",
            description = "Every change made through the operator API: who (the operator token's name), when, what "
                    + "and what changed. Secrets are never recorded.")
    public List<AuditEntry> list(
            @Parameter(description = "At most this many entries (1 to 500).") @QueryParam("limit") @DefaultValue("100")
                    int limit,
            @Parameter(description = "Only entries older than this id (the last id of the previous page).")
                    @QueryParam("before")
                    Long before,
            @Parameter(description = "Only this operator (token name).") @QueryParam("actor") String actor,
            @Parameter(description = "Only this action, e.g. recipient.replace.") @QueryParam("action") String action,
            @Parameter(description = "Only this target, e.g. recipient/990000001.") @QueryParam("target")
                    String target) {
        StringBuilder sql = new StringBuilder(
                "select id, at, actor, action, target, details::text from admin_audit " + "where true");
        List<Object> params = new ArrayList<>();
        if (before != null) {
            sql.append(" and id < ?");
            params.add(before);
        }
        if (actor != null) {
            sql.append(" and actor = ?");
            params.add(actor);
        }
        if (action != null) {
            sql.append(" and action = ?");
            params.add(action);
        }
        if (target != null) {
            sql.append(" and target = ?");
            params.add(target);
        }
        sql.append(" order by id desc limit ?");
        params.add(Math.min(Math.max(1, limit), 500));
        return jdbc.query(
                sql.toString(),
                row -> new AuditEntry(
                        row.getLong(1),
                        row.getObject(2, OffsetDateTime.class).toInstant(),
                        row.getString(3),
                        row.getString(4),
                        row.getString(5),
                        readJson(row.getString(6))),
                params.toArray());
    }

    private com.fasterxml.jackson.databind.JsonNode readJson(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored audit details could not be read back", e);
        }
    }
}
