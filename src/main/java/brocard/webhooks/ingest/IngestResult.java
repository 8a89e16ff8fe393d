package brocard.webhooks.ingest;

import brocard.webhooks.json.Json;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The 200 answer to Brocard: the webhook is durably stored, as a new event or as a duplicate of one. */
public record IngestResult(Status status, String type, Long id) {

    public enum Status {
        @JsonProperty("accepted")
        ACCEPTED,
        @JsonProperty("duplicate")
        DUPLICATE
    }

    /**
     * The answer's JSON text, {@code {"status":…,"type":…,"id":…}}, as Jackson would write it. Written by hand because
     * it is the body of every 200: run through the REST layer's dynamic Jackson writer, this tiny object cost about a
     * fifth of the event loop's time under load. A type that needs escaping (an unrecognized webhook_type is echoed)
     * goes through Jackson.
     */
    public String json() {
        if (!isPlain(type)) {
            return Json.write(this);
        }
        String statusName = status == Status.ACCEPTED ? "accepted" : "duplicate";
        StringBuilder json = new StringBuilder(64)
                .append("{\"status\":\"")
                .append(statusName)
                .append("\",\"type\":");
        if (type == null) {
            json.append("null");
        } else {
            json.append('"').append(type).append('"');
        }
        return json.append(",\"id\":").append(id).append('}').toString();
    }

    private static boolean isPlain(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    public static IngestResult accepted(String type, Long id) {
        return new IngestResult(Status.ACCEPTED, type, id);
    }

    public static IngestResult duplicate(String type, Long id) {
        return new IngestResult(Status.DUPLICATE, type, id);
    }
}
