package brocard.webhooks.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One row of the audit log as the operator API shows it. */
public record AuditEntry(long id, Instant at, String actor, String action, String target, JsonNode details) {}
