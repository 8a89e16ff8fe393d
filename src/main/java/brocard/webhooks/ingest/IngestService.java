package brocard.webhooks.ingest;

import brocard.webhooks.quarantine.QuarantineService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The path of every webhook: content type, JSON, dispatch on {@code webhook_type}, validation, storage. A refused
 * webhook is kept in quarantine before the refusal is answered, so nothing Brocard sends is lost.
 */
@ApplicationScoped
public class IngestService {

    private final Map<WebhookKind, WebhookIngestor<?>> ingestors = new EnumMap<>(WebhookKind.class);
    private final Map<WebhookKind, Timer> storeDuration = new EnumMap<>(WebhookKind.class);
    private final UnrecognizedWebhookStore unrecognized;
    private final QuarantineService quarantine;
    private final ZoneId providerZone;
    private final MeterRegistry registry;

    public IngestService(Instance<WebhookIngestor<?>> all, UnrecognizedWebhookStore unrecognized,
                         QuarantineService quarantine,
                         @ConfigProperty(name = "brocard.provider-timezone", defaultValue = "UTC") ZoneId providerZone,
                         MeterRegistry registry) {
        all.forEach(ingestor -> ingestors.put(ingestor.kind(), ingestor));
        for (WebhookKind kind : WebhookKind.values()) {
            storeDuration.put(kind, Timer.builder("brocard.webhooks.store.duration").tag("type", kind.wireName())
                    .publishPercentileHistogram().register(registry));
        }
        this.unrecognized = unrecognized;
        this.quarantine = quarantine;
        this.providerZone = providerZone;
        this.registry = registry;
    }

    public IngestOutcome ingest(RawWebhook raw) {
        String type = "unknown";
        try {
            requireJsonContentType(raw.contentType());
            ObjectNode body = WebhookJson.parseObject(raw.body());
            type = typeTag(raw.endpoint(), body);
            IngestResult result = dispatch(raw.endpoint(), ReceivedWebhook.now(body));
            count(type, result.status().name().toLowerCase());
            return new IngestOutcome.Stored(result);
        } catch (InvalidWebhookException e) {
            UUID requestId = quarantine.store(raw, e);
            count(type, "invalid");
            return new IngestOutcome.Rejected(e, requestId);
        }
    }

    private IngestResult dispatch(Endpoint endpoint, ReceivedWebhook received) {
        JsonNode typeNode = received.body().get("webhook_type");
        Optional<WebhookKind> expected = endpoint.expectedKind();
        if (typeNode == null || typeNode.isNull()) {
            // Brocard always sends it; at a typed URL the URL itself says what the body is.
            return run(ingestors.get(expected.orElseThrow(() -> fieldError("The webhook type field is required."))),
                    received);
        }
        if (!typeNode.isTextual()) {
            throw fieldError("The webhook type must be a string.");
        }
        Optional<WebhookKind> kind = WebhookKind.fromWireName(typeNode.textValue());
        if (expected.isPresent() && !expected.equals(kind)) {
            throw fieldError("The webhook type must be " + expected.get().wireName() + " at this URL.");
        }
        if (kind.isEmpty()) {
            JsonNode id = received.body().get("id");
            Long providerId = id != null && id.canConvertToLong() && id.isIntegralNumber() ? id.longValue() : null;
            return unrecognized.store(typeNode.textValue(), providerId, received);
        }
        return run(ingestors.get(kind.get()), received);
    }

    private <T> IngestResult run(WebhookIngestor<T> ingestor, ReceivedWebhook received) {
        T webhook = ingestor.validate(received.body(), new JsonFields(received.body(), providerZone));
        Timer.Sample sample = Timer.start(registry);
        IngestResult result = ingestor.store(webhook, received);
        sample.stop(storeDuration.get(ingestor.kind()));
        return result;
    }

    private static void requireJsonContentType(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new InvalidWebhookException(InvalidWebhookException.Reason.UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be sent as application/json.", Map.of());
        }
    }

    /** Metric tag for the body's type: a known kind, or one bucket for every unknown value (bounded cardinality). */
    private static String typeTag(Endpoint endpoint, ObjectNode body) {
        JsonNode type = body.get("webhook_type");
        if (type == null || type.isNull()) {
            return endpoint.expectedKind().map(WebhookKind::wireName).orElse("unknown");
        }
        if (!type.isTextual()) {
            return "unknown";
        }
        return WebhookKind.fromWireName(type.textValue()).map(WebhookKind::wireName).orElse("unrecognized");
    }

    private void count(String type, String outcome) {
        registry.counter("brocard.webhooks.received", "type", type, "outcome", outcome).increment();
    }

    private static InvalidWebhookException fieldError(String message) {
        return InvalidWebhookException.fields(Map.of("webhook_type", List.of(message)));
    }
}
