package brocard.webhooks.outbox;

/**
 * An outbox row a storing transaction wrote: what the publisher needs to take it straight from the writer's hand once
 * that transaction has committed ({@link OutboxPublisher#eventsCommitted}).
 */
public record QueuedEvent(long id, String topic, String key) {}
