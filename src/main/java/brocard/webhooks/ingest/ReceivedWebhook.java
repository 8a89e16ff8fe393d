package brocard.webhooks.ingest;

import brocard.webhooks.outbox.EventOrigin;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * A parsed body and the facts of its arrival.
 *
 * @param body       the body as received (secrets included: callers store only {@code SecretFields.withoutSecrets})
 * @param eventId    the stable CloudEvents id given to the event if it turns out to be new
 * @param receivedAt when this service received it
 * @param origin     Brocard's webhook, or reconciliation (the body was fetched from Brocard's REST API)
 */
public record ReceivedWebhook(ObjectNode body, UUID eventId, Instant receivedAt, EventOrigin origin) {

    public static ReceivedWebhook now(ObjectNode body) {
        return new ReceivedWebhook(body, EventIds.next(), Instant.now(), EventOrigin.WEBHOOK);
    }

    /** A body fetched from Brocard's REST API because its webhook did not arrive. */
    public static ReceivedWebhook recovered(ObjectNode body) {
        return new ReceivedWebhook(body, EventIds.next(), Instant.now(), EventOrigin.RECONCILIATION);
    }
}
