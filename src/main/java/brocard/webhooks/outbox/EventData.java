package brocard.webhooks.outbox;

import brocard.webhooks.ingest.WebhookJson;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Builds the CloudEvents {@code data} of an event: every field Brocard sent, unknown ones included, plus a
 * {@code normalized} object with what this service derived (instants, state name, exact amount). Derived values
 * live in their own object so they never clash with a field the provider adds later.
 */
public final class EventData {

    private EventData() {
    }

    /** @param original the body with secrets already removed */
    public static String of(ObjectNode original, Map<String, Object> normalized) {
        ObjectNode data = original.deepCopy();
        data.set("normalized", WebhookJson.mapper().valueToTree(normalized));
        return WebhookJson.write(data);
    }
}
