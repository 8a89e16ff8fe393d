package brocard.webhooks.brocardapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One page of a Brocard list, its pagination style detected from the answer rather than assumed from the version:
 * {@code current_page}/{@code last_page} (page-based) or {@code next_cursor} (cursor-based). Neither means a single
 * page.
 *
 * @param items the {@code data} entries, as Brocard sent them
 * @param next  the request for the following page; empty on the last one
 * @param style how the list paginates
 */
public record ListPage(List<ObjectNode> items, Optional<PageRequest> next, Style style) {

    public enum Style {
        PAGES,
        CURSOR,
        SINGLE
    }

    static ListPage of(JsonNode answer) {
        JsonNode data = answer.path("data");
        if (!data.isArray()) {
            throw new BrocardApiException("Brocard's list answer has no data array");
        }
        List<ObjectNode> items = new ArrayList<>(data.size());
        for (JsonNode item : data) {
            if (!item.isObject()) {
                throw new BrocardApiException("Brocard's list answer has an entry that is not an object");
            }
            items.add((ObjectNode) item);
        }
        if (answer.has("next_cursor")) {
            JsonNode cursor = answer.get("next_cursor");
            boolean more = cursor.isTextual() && !cursor.textValue().isEmpty() && !items.isEmpty();
            return new ListPage(
                    items, more ? Optional.of(PageRequest.cursor(cursor.textValue())) : Optional.empty(), Style.CURSOR);
        }
        if (answer.has("current_page") && answer.has("last_page")) {
            long current = answer.get("current_page").asLong();
            long last = answer.get("last_page").asLong();
            boolean more = current < last && !items.isEmpty();
            return new ListPage(
                    items, more ? Optional.of(PageRequest.page((int) current + 1)) : Optional.empty(), Style.PAGES);
        }
        return new ListPage(items, Optional.empty(), Style.SINGLE);
    }
}
