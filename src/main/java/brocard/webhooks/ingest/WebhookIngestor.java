package brocard.webhooks.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What each webhook kind provides: validation (pure, no I/O) and storage (in one transaction: the event row deduplicated
 * by a unique key, the outbox row, and any state the kind keeps).
 *
 * @param <T> the validated webhook
 */
public interface WebhookIngestor<T> {

    WebhookKind kind();

    /** @throws InvalidWebhookException listing every field error */
    T validate(ObjectNode body, JsonFields fields);

    /** Stores the webhook exactly once; a replay of its dedup key answers {@code duplicate}. Transactional. */
    IngestResult store(T webhook, ReceivedWebhook received);
}
