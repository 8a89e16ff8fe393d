package brocard.webhooks.outbox;

import brocard.webhooks.db.Jdbc;
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

    private static final String INSERT = """
            insert into outbox_event (event_id, topic, record_key, event_type, subject, event_time, payload,
                contains_secret, created_at, next_attempt_at)
            values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""";

    private final Jdbc jdbc;
    private final Event<EventQueued> queued;

    public OutboxWriter(Jdbc jdbc, Event<EventQueued> queued) {
        this.jdbc = jdbc;
        this.queued = queued;
    }

    /** Table outbox_event (V1 migration) is the publisher's work queue; see {@link OutboxBatchPublisher}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(EventDraft draft) {
        Instant now = Instant.now();
        jdbc.update(INSERT, draft.eventId(), draft.topic(), draft.key(), draft.type(), draft.subject(), draft.time(),
                draft.data(), draft.containsSecret(), now, now);
        queued.fire(new EventQueued(draft.topic()));
    }
}
