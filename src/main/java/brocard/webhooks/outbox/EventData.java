package brocard.webhooks.outbox;

import brocard.webhooks.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Builds the CloudEvents {@code data} of an event: every field Brocard sent, unknown ones included, plus a
 * {@code normalized} object with what this service derived (instants, state name, exact amount). Derived values
 * live in their own object so they never clash with a field the provider adds later.
 */
public final class EventData {

    private static final String NORMALIZED = "normalized";

    private EventData() {}

    /** @param original the body with secrets already removed */
    public static String of(ObjectNode original, Map<String, Object> normalized) {
        ObjectNode data = original.deepCopy();
        data.remove(NORMALIZED); // always the last member: withNormalized relies on it
        data.set(NORMALIZED, Json.mapper().valueToTree(normalized));
        return Json.write(data);
    }

    /**
     * The same, from the body's canonical text: the {@code normalized} member is appended to the text instead of
     * copying and re-serialising the tree (the hot path of payments and refunds).
     *
     * @param canonicalText {@code original} as {@link Json#write} wrote it (compact, ends with its brace)
     */
    public static String of(String canonicalText, ObjectNode original, Map<String, Object> normalized) {
        if (original.has(NORMALIZED)) {
            return of(original, normalized); // the provider's own "normalized" field is replaced, as above
        }
        String derived = Json.write(normalized);
        int end = canonicalText.lastIndexOf('}');
        StringBuilder data =
                new StringBuilder(canonicalText.length() + derived.length() + 16).append(canonicalText, 0, end);
        if (!original.isEmpty()) {
            data.append(',');
        }
        return data.append('"')
                .append(NORMALIZED)
                .append("\":")
                .append(derived)
                .append('}')
                .toString();
    }

    /**
     * Adds members to the {@code normalized} object of data built by {@code of}, for values only known when the event
     * is stored (a payment's resulting current state). {@code normalized} is always the last member and never empty,
     * so the text ends with its closing brace and the outer one: the members go before them, without re-parsing.
     */
    public static String withNormalized(String data, Map<String, Object> members) {
        if (members.isEmpty()) {
            return data;
        }
        if (!data.endsWith("}}")) {
            throw new IllegalArgumentException("Not event data built by EventData.of");
        }
        String object = Json.write(members);
        return new StringBuilder(data.length() + object.length())
                .append(data, 0, data.length() - 2)
                .append(',')
                .append(object, 1, object.length() - 1)
                .append("}}")
                .toString();
    }
}
