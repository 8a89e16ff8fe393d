package brocard.webhooks.ingest;

import java.util.UUID;

/** What became of a webhook: stored (new or duplicate), or refused and kept in quarantine under a request id. */
public sealed interface IngestOutcome {

    record Stored(IngestResult result) implements IngestOutcome {
    }

    record Rejected(InvalidWebhookException error, UUID requestId) implements IngestOutcome {
    }
}
