package brocard.webhooks.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Instant;

/** Queues events in the outbox, inside the transaction that stores their webhook. */
@ApplicationScoped
public class OutboxWriter {

    /** Fired with each queued event; the publisher wakes when the transaction commits. */
    public record EventQueued(String topic) {
    }

    private final Event<EventQueued> queued;

    public OutboxWriter(Event<EventQueued> queued) {
        this.queued = queued;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(EventDraft draft) {
        OutboxEvent event = new OutboxEvent();
        event.eventId = draft.eventId();
        event.topic = draft.topic();
        event.recordKey = draft.key();
        event.eventType = draft.type();
        event.subject = draft.subject();
        event.eventTime = draft.time();
        event.payload = draft.data();
        event.containsSecret = draft.containsSecret();
        event.createdAt = Instant.now();
        event.nextAttemptAt = event.createdAt;
        event.persist();
        queued.fire(new EventQueued(draft.topic()));
    }
}
