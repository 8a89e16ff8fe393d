package brocard.webhooks.audit;

import brocard.webhooks.db.Jdbc;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Map;

/**
 * The operator API's audit log ({@code admin_audit}): who changed what, when. Call {@link #record} from inside the
 * transaction of the change (it joins it; {@link Transactional.TxType#MANDATORY} makes forgetting that a failure,
 * not a silently separate commit), so the change and its audit row commit or roll back together.
 *
 * <p>Callers redact: {@code details} must never hold secrets (route secrets, tokens, credentials in URLs); see
 * {@link Redaction}.
 */
@ApplicationScoped
public class AuditLog {

    // Metric names of this feature, in one place (Prometheus names in docs/operations.md).
    static final String AUDIT_RECORDED = "brocard.admin.audit.recorded";

    private static final String INSERT =
            """
            insert into admin_audit (actor, action, target, details) values (?, ?, ?, ?::jsonb)""";

    private final Jdbc jdbc;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;

    public AuditLog(Jdbc jdbc, ObjectMapper mapper, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.registry = registry;
    }

    /**
     * @param actor   the operator token's name ({@code AdminPrincipal.name()})
     * @param action  what was done, {@code <thing>.<verb>}: {@code recipient.replace}, {@code quarantine.replay}
     * @param target  what it was done to, {@code <thing>/<id>}: {@code recipient/990000001}
     * @param details what changed, as JSON-serialisable values (before/after, outcome); already redacted
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String actor, String action, String target, Map<String, ?> details) {
        jdbc.update(INSERT, actor, action, target, json(details));
        registry.counter(AUDIT_RECORDED, "action", action).increment();
    }

    private String json(Map<String, ?> details) {
        try {
            return mapper.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Audit details are not serialisable", e);
        }
    }
}
