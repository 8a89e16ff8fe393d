package brocard.webhooks.ingest;

import brocard.webhooks.db.Jdbc;
import brocard.webhooks.inbound.WebhookMetricNames;
import brocard.webhooks.json.Json;
import brocard.webhooks.security.BodyFingerprint;
import brocard.webhooks.security.SecretFields;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Webhooks whose {@code webhook_type} this code does not know yet. Brocard adds types without notice; refusing them
 * would lose them, so they are stored (deduplicated by exact content), counted, and left for a later release to
 * interpret. Nothing is published: no consumer has a contract for them.
 */
@ApplicationScoped
public class UnrecognizedWebhookStore {

    private static final String INSERT =
            """
            insert into unrecognized_webhook (webhook_type, provider_id, body, fingerprint, received_at)
            values (?, ?, ?::jsonb, ?, ?)
            on conflict (webhook_type, fingerprint) do nothing
            returning id""";

    private final Jdbc jdbc;
    private final BodyFingerprint fingerprint;
    private final MeterRegistry registry;

    public UnrecognizedWebhookStore(Jdbc jdbc, BodyFingerprint fingerprint, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.fingerprint = fingerprint;
        this.registry = registry;
    }

    @Transactional
    public IngestResult store(String webhookType, Long providerId, ReceivedWebhook received) {
        boolean inserted = !jdbc.query(
                        INSERT,
                        row -> row.getLong(1),
                        webhookType,
                        providerId,
                        Json.write(SecretFields.withoutSecrets(received.body())),
                        fingerprint.of(received.body()),
                        received.receivedAt())
                .isEmpty();
        if (!inserted) {
            return IngestResult.duplicate(webhookType, providerId);
        }
        registry.counter(WebhookMetricNames.UNRECOGNIZED, "field", "webhook_type")
                .increment();
        return IngestResult.accepted(webhookType, providerId);
    }
}
