package brocard.webhooks.relay.directory;

import brocard.webhooks.audit.AuditLog;
import brocard.webhooks.audit.Redaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Audit rows of directory changes: the recipient before and after, as an operator would read it, without secrets. A
 * route's signing secret shows only as {@code hasSecret}; a webhook URL loses its user-info and query values; a Slack
 * URL (its path is the credential) keeps only its host.
 */
@ApplicationScoped
class DirectoryAudit {

    private final AuditLog log;

    DirectoryAudit(AuditLog log) {
        this.log = log;
    }

    /** A copy of what the recipient looks like now (taken before a change mutates the entity). */
    static Map<String, Object> snapshot(Recipient recipient) {
        if (recipient == null) {
            return null;
        }
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("displayName", recipient.displayName);
        shown.put("routes", recipient.routes.stream().map(DirectoryAudit::route).toList());
        return shown;
    }

    /** Records a change in the caller's transaction; before or after is null for a creation or a deletion. */
    void record(String actor, String action, long recipientId, Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("before", before);
        details.put("after", after);
        log.record(actor, action, "recipient/" + recipientId, details);
    }

    private static Map<String, Object> route(DeliveryRoute route) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("channel", route.channel.wireName());
        shown.put("target", target(route.channel, route.target));
        shown.put("enabled", route.enabled);
        shown.put("label", route.label);
        shown.put("hasSecret", route.secretEncrypted != null);
        return shown;
    }

    static String target(Channel channel, String target) {
        return switch (channel) {
            case WEBHOOK -> Redaction.url(target);
            case SLACK -> Redaction.hostOnly(target);
            case TELEGRAM, EMAIL -> target;
        };
    }
}
