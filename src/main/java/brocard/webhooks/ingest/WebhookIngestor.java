package brocard.webhooks.ingest;

import brocard.webhooks.inbound.InvalidWebhookException;
import brocard.webhooks.inbound.WebhookKind;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What each webhook kind provides: validation and preparation (pure, no I/O, on the request's thread) and the SQL of
 * its event table, which the group-commit writer runs for a whole batch in one transaction.
 *
 * @param <T> the validated webhook
 */
public interface WebhookIngestor<T> {

    WebhookKind kind();

    /** @throws InvalidWebhookException listing every field error */
    T validate(ObjectNode body, JsonFields fields);

    /** Everything the writer needs to store the webhook, and the event to publish if it is new. */
    StoreRequest<T> prepare(T webhook, ReceivedWebhook received, CanonicalBody canonical);

    EventTable<T> table();
}
