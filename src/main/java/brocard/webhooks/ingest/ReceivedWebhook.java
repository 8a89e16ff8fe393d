package brocard.webhooks.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * A parsed body and the facts of its arrival.
 *
 * @param body       the body as received (secrets included: callers store only {@code SecretFields.withoutSecrets})
 * @param eventId    the stable CloudEvents id given to the event if it turns out to be new
 * @param receivedAt when this service received it
 */
public record ReceivedWebhook(ObjectNode body, UUID eventId, Instant receivedAt) {

    public static ReceivedWebhook now(ObjectNode body) {
        return new ReceivedWebhook(body, EventIds.next(), Instant.now());
    }
}
