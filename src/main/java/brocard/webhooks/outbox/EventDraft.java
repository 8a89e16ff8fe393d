package brocard.webhooks.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as a webhook kind describes it, before it is queued in the outbox.
 *
 * @param data           CloudEvents data as a JSON object text
 * @param containsSecret whether data holds an encrypted secret, to be purged after the secret TTL
 * @param origin         webhook or reconciliation, published as the {@code brocardorigin} extension attribute
 */
public record EventDraft(
        UUID eventId,
        String topic,
        String key,
        String type,
        String subject,
        Instant time,
        String data,
        boolean containsSecret,
        EventOrigin origin) {

    /** An event of a webhook (the kinds draft their events without knowing how the body arrived). */
    public EventDraft(
            UUID eventId,
            String topic,
            String key,
            String type,
            String subject,
            Instant time,
            String data,
            boolean containsSecret) {
        this(eventId, topic, key, type, subject, time, data, containsSecret, EventOrigin.WEBHOOK);
    }

    public EventDraft withOrigin(EventOrigin newOrigin) {
        return newOrigin == origin
                ? this
                : new EventDraft(eventId, topic, key, type, subject, time, data, containsSecret, newOrigin);
    }
}
