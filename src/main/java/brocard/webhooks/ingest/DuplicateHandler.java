package brocard.webhooks.ingest;

import brocard.webhooks.security.SecretFields;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.util.Arrays;

/**
 * Decides between an exact replay and a conflict when a dedup key is already stored. Either way the first body
 * stays; a conflict is recorded (row and metric) for an operator, and Brocard is answered {@code duplicate}.
 */
@ApplicationScoped
public class DuplicateHandler {

    private static final Logger LOG = Logger.getLogger(DuplicateHandler.class);

    private final MeterRegistry registry;

    public DuplicateHandler(MeterRegistry registry) {
        this.registry = registry;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public IngestResult handle(WebhookKind kind, String dedupKey, Long id, byte[] storedFingerprint,
                               byte[] newFingerprint, ReceivedWebhook received) {
        if (!Arrays.equals(storedFingerprint, newFingerprint)) {
            DedupConflict conflict = new DedupConflict();
            conflict.webhookType = kind.wireName();
            conflict.dedupKey = dedupKey;
            conflict.body = WebhookJson.write(SecretFields.withoutSecrets(received.body()));
            conflict.receivedAt = received.receivedAt();
            conflict.persist();
            registry.counter("brocard.webhooks.dedup.conflicts", "type", kind.wireName()).increment();
            LOG.warnf("Webhook %s %s replayed with a different body; kept the first (conflict %d)",
                    kind.wireName(), dedupKey, conflict.id);
        }
        return IngestResult.duplicate(kind.wireName(), id);
    }
}
