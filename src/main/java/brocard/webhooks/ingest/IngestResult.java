package brocard.webhooks.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The 200 answer to Brocard: the webhook is durably stored, as a new event or as a duplicate of one. */
public record IngestResult(Status status, String type, Long id) {

    public enum Status {
        @JsonProperty("accepted")
        ACCEPTED,
        @JsonProperty("duplicate")
        DUPLICATE
    }

    public static IngestResult accepted(String type, Long id) {
        return new IngestResult(Status.ACCEPTED, type, id);
    }

    public static IngestResult duplicate(String type, Long id) {
        return new IngestResult(Status.DUPLICATE, type, id);
    }
}
