package brocard.webhooks.ingest;

import brocard.webhooks.inbound.InvalidWebhookException;

import java.time.Duration;
import java.util.UUID;

/**
 * What became of a webhook: stored (new or duplicate), refused and kept in quarantine under a request id, or not
 * stored now (503: Brocard should send it again).
 */
public sealed interface IngestOutcome {

    record Stored(IngestResult result) implements IngestOutcome {}

    record Rejected(InvalidWebhookException error, UUID requestId) implements IngestOutcome {}

    record Unavailable(StoreUnavailableException error, UUID requestId, Duration retryAfter) implements IngestOutcome {}
}
