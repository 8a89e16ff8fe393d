package brocard.webhooks.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as a webhook kind describes it, before it is queued in the outbox.
 *
 * @param data           CloudEvents data as a JSON object text
 * @param containsSecret whether data holds an encrypted secret, to be purged after the secret TTL
 */
public record EventDraft(UUID eventId, String topic, String key, String type, String subject, Instant time,
                         String data, boolean containsSecret) {
}
