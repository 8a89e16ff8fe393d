package brocard.webhooks.ingest;

import brocard.webhooks.inbound.WebhookKind;
import brocard.webhooks.outbox.EventDraft;

import java.util.concurrent.CompletableFuture;

/**
 * A validated webhook on its way to the group-commit writer: everything the batch transaction needs, computed on the
 * request's own thread (fingerprint, stored body, the event to publish if it turns out to be new), and the future the
 * writer completes once the batch is committed.
 *
 * @param dedupKey    the unique key of the kind's event table, as text (e.g. {@code 42/1} for payment 42 in state 1)
 * @param providerId  Brocard's id, echoed in the answer
 * @param fingerprint keyed hash of the canonical body: tells an exact replay from a conflicting one
 * @param storedBody  the JSON text stored in the event row (without secrets)
 * @param event       the event queued in the outbox if the webhook is new
 * @param createdNanos {@link System#nanoTime()} when the request was handed over, for queue-wait limits and timing
 * @param <T>         the kind's validated webhook
 */
public record StoreRequest<T>(
        WebhookKind kind,
        T webhook,
        ReceivedWebhook received,
        String dedupKey,
        long providerId,
        byte[] fingerprint,
        String storedBody,
        EventDraft event,
        long createdNanos,
        CompletableFuture<IngestResult> result) {

    public StoreRequest(
            WebhookKind kind,
            T webhook,
            ReceivedWebhook received,
            String dedupKey,
            long providerId,
            byte[] fingerprint,
            String storedBody,
            EventDraft event) {
        this(
                kind,
                webhook,
                received,
                dedupKey,
                providerId,
                fingerprint,
                storedBody,
                event,
                System.nanoTime(),
                new CompletableFuture<>());
    }
}
