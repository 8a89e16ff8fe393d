package brocard.webhooks.quarantine;

import brocard.webhooks.audit.AuditLog;
import brocard.webhooks.ingest.Endpoint;
import brocard.webhooks.ingest.InvalidWebhookException;
import brocard.webhooks.ingest.RawWebhook;
import brocard.webhooks.ingest.StorableJson;
import brocard.webhooks.ingest.WebhookJson;
import brocard.webhooks.security.OtpCipher;
import brocard.webhooks.security.SecretFields;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Keeps refused webhooks, encrypted, with the reason and the request's metadata. */
@ApplicationScoped
public class QuarantineService {

    private static final Logger LOG = Logger.getLogger(QuarantineService.class);

    private final OtpCipher cipher;
    private final MeterRegistry registry;
    private final AuditLog audit;

    public QuarantineService(OtpCipher cipher, MeterRegistry registry, AuditLog audit) {
        this.cipher = cipher;
        this.registry = registry;
        this.audit = audit;
    }

    /** Stores the refused request in its own transaction and returns its id. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public UUID store(RawWebhook raw, InvalidWebhookException error) {
        QuarantinedWebhook entry = new QuarantinedWebhook();
        entry.id = UUID.randomUUID();
        entry.receivedAt = Instant.now();
        entry.endpoint = raw.endpoint().name();
        entry.reason = error.reason().name();
        entry.httpStatus = error.reason().httpStatus();
        entry.message = error.getMessage();
        entry.fieldErrors = WebhookJson.write(error.fieldErrors());
        entry.contentType = truncate(raw.contentType());
        entry.remoteAddress = truncate(raw.remoteAddress());
        entry.userAgent = truncate(raw.userAgent());
        entry.bodySize = raw.body().length;
        entry.bodyEncrypted = cipher.encrypt(raw.body(), context(entry.id));
        entry.mayContainSecret = mayContainSecret(raw);
        entry.bodyPreview = preview(raw.body());
        entry.persist();
        registry.counter("brocard.quarantine.stored", "reason", entry.reason.toLowerCase()).increment();
        // Field names only, never values: a value may be an OTP code.
        LOG.warnf("Quarantined webhook %s from %s: %s %s", entry.id, entry.endpoint, entry.reason,
                error.fieldErrors().keySet());
        return entry.id;
    }

    /**
     * Records a replay on the quarantine row and, in the same transaction, in the audit log.
     *
     * @param actor      the operator who replayed it
     * @param replayedTo the URL it was re-ingested as (the original one unless the operator chose another)
     * @param outcome    {@code accepted}, {@code duplicate} or the reason it was refused again
     */
    @Transactional
    public void recordReplay(UUID id, String outcome, String actor, Endpoint replayedTo) {
        QuarantinedWebhook entry = QuarantinedWebhook.findById(id);
        entry.replayedAt = Instant.now();
        entry.replayOutcome = outcome;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("endpoint", entry.endpoint);
        details.put("replayedTo", replayedTo.name());
        details.put("reason", entry.reason);
        details.put("outcome", outcome);
        audit.record(actor, "quarantine.replay", "quarantine/" + id, details);
    }

    /** The original bytes of a quarantined body, for replay. */
    public byte[] originalBody(QuarantinedWebhook entry) {
        return cipher.decrypt(entry.bodyEncrypted, context(entry.id));
    }

    /**
     * The body without secrets, for reading; null when it is not a JSON object or holds anything jsonb cannot (NUL,
     * lone surrogates, numbers beyond {@code numeric}): quarantine must never fail on content, and the encrypted
     * bytes keep the body whole anyway.
     */
    private static String preview(byte[] body) {
        try {
            ObjectNode withoutSecrets = SecretFields.withoutSecrets(WebhookJson.parseObject(body));
            return StorableJson.problems(withoutSecrets).isEmpty() ? WebhookJson.write(withoutSecrets) : null;
        } catch (InvalidWebhookException notAJsonObject) {
            return null;
        }
    }

    /**
     * Whether a refused body may be a 3DS webhook, judged without trusting its (possibly broken) structure: sent to the
     * 3DS URL, or mentioning its type or a password anywhere.
     */
    private static boolean mayContainSecret(RawWebhook raw) {
        String text = new String(raw.body(), StandardCharsets.UTF_8);
        return raw.endpoint() == Endpoint.THREE_DS || text.contains("otp_code") || text.contains("\"password\"");
    }

    private static String context(UUID id) {
        return "brocard.quarantine/" + id;
    }

    /** A header as a text column takes it: at most 512 characters, and no NUL (which text cannot hold). */
    private static String truncate(String header) {
        if (header == null) {
            return null;
        }
        String storable = header.replace("\0", "");
        return storable.length() <= 512 ? storable : storable.substring(0, 512);
    }
}
