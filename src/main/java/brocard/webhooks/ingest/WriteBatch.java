package brocard.webhooks.ingest;

import brocard.webhooks.inbound.WebhookKind;
import brocard.webhooks.outbox.EventDraft;
import brocard.webhooks.outbox.OutboxKeyLocks;
import brocard.webhooks.outbox.OutboxWriter;
import brocard.webhooks.outbox.QueuedEvent;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements of one group-commit transaction, for webhooks of any kinds: per kind, one multi-row insert of the
 * new events (the unique key decides, {@code on conflict do nothing}), one look-up of the fingerprints of keys already
 * stored, the kind's derived state; then one insert of dedup conflicts and one of outbox rows for exactly the new
 * events, in arrival order. The outcome of each request is the one it would have had alone, in arrival order: the
 * first copy of a key in the batch is the candidate, later copies are its duplicates (or conflicts with it).
 * Commit and rollback are the caller's.
 */
final class WriteBatch {

    /**
     * @param results each request's result, by position
     * @param queued  the outbox rows written, to hand to the publisher once (and only if) the transaction commits
     */
    record Stored(List<IngestResult> results, List<QueuedEvent> queued) {}

    private final Map<WebhookKind, WebhookIngestor<?>> ingestors;
    private final DedupConflicts conflicts;
    private final OutboxWriter outbox;

    WriteBatch(Map<WebhookKind, WebhookIngestor<?>> ingestors, DedupConflicts conflicts, OutboxWriter outbox) {
        this.ingestors = ingestors;
        this.conflicts = conflicts;
        this.outbox = outbox;
    }

    /** @return each request's result and the outbox rows written; nothing is committed yet */
    Stored store(Connection connection, List<StoreRequest<?>> requests) throws SQLException {
        // First, before any other lock: this batch's outbox ids must follow commit order per key (OutboxKeyLocks).
        OutboxKeyLocks.lock(
                connection, requests.stream().map(StoreRequest::event).toList());
        IngestResult[] results = new IngestResult[requests.size()];
        EventDraft[] published = new EventDraft[requests.size()];
        List<StoreRequest<?>> conflicting = new ArrayList<>();
        // Kinds in a fixed order: concurrent batches on several replicas take their locks in the same order.
        for (WebhookKind kind : WebhookKind.values()) {
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                if (requests.get(i).kind() == kind) {
                    positions.add(i);
                }
            }
            if (!positions.isEmpty()) {
                storeKind(connection, ingestors.get(kind), requests, positions, results, published, conflicting);
            }
        }
        List<EventDraft> events = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            if (results[i].status() == IngestResult.Status.ACCEPTED) {
                // The kinds draft events without knowing how the body came; the arrival says it.
                events.add(published[i].withOrigin(requests.get(i).received().origin()));
            }
        }
        conflicts.record(connection, conflicting);
        List<QueuedEvent> queued = outbox.enqueue(connection, events);
        return new Stored(Arrays.asList(results), queued);
    }

    @SuppressWarnings("unchecked")
    private <T> void storeKind(
            Connection connection,
            WebhookIngestor<T> ingestor,
            List<StoreRequest<?>> requests,
            List<Integer> positions,
            IngestResult[] results,
            EventDraft[] published,
            List<StoreRequest<?>> conflicting)
            throws SQLException {
        EventTable<T> table = ingestor.table();
        Map<String, StoreRequest<T>> firstOfKey = new LinkedHashMap<>();
        for (int position : positions) {
            StoreRequest<T> request = (StoreRequest<T>) requests.get(position);
            firstOfKey.putIfAbsent(request.dedupKey(), request);
        }
        Set<String> inserted = table.insertNew(connection, new ArrayList<>(firstOfKey.values()));
        List<StoreRequest<T>> alreadyStored = firstOfKey.values().stream()
                .filter(r -> !inserted.contains(r.dedupKey()))
                .toList();
        Map<String, byte[]> storedFingerprints =
                alreadyStored.isEmpty() ? Map.of() : table.storedFingerprints(connection, alreadyStored);

        List<StoreRequest<T>> newEvents = new ArrayList<>();
        List<Integer> newPositions = new ArrayList<>();
        String type = ingestor.kind().wireName();
        for (int position : positions) {
            StoreRequest<T> request = (StoreRequest<T>) requests.get(position);
            StoreRequest<T> first = firstOfKey.get(request.dedupKey());
            boolean isNew = inserted.contains(request.dedupKey());
            if (isNew && first == request) {
                newEvents.add(request);
                newPositions.add(position);
                results[position] = IngestResult.accepted(type, request.providerId());
                continue;
            }
            byte[] kept = isNew ? first.fingerprint() : storedFingerprints.get(request.dedupKey());
            if (kept != null && !Arrays.equals(kept, request.fingerprint())) {
                conflicting.add(request);
            }
            results[position] = IngestResult.duplicate(type, request.providerId());
        }
        List<EventDraft> events = table.afterInsert(connection, newEvents);
        for (int i = 0; i < newPositions.size(); i++) {
            published[newPositions.get(i)] = events.get(i);
        }
    }
}
