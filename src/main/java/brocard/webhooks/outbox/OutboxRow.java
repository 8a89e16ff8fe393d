package brocard.webhooks.outbox;

import java.time.Instant;
import java.util.UUID;

/** A claimed outbox row: everything its Kafka record needs, its failure history, and where the event came from (webhook or reconciliation). */
record OutboxRow(
        long id,
        UUID eventId,
        String topic,
        String key,
        String type,
        String subject,
        Instant time,
        String payload,
        Instant createdAt,
        int attempts,
        int permanentFailures,
        String origin) {}
