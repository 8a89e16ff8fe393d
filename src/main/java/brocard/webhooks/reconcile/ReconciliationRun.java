package brocard.webhooks.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** One run as an operator sees it ({@code GET /admin/reconciliations/{id}}); window in the provider's time zone. */
public record ReconciliationRun(
        long id,
        String trigger,
        String from,
        String to,
        List<String> kinds,
        String status,
        int scanned,
        int recovered,
        @JsonProperty("already_known") int alreadyKnown,
        int conflicts,
        int invalid,
        String error,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
}
