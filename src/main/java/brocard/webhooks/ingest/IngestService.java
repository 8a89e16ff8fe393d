package brocard.webhooks.ingest;

import brocard.webhooks.config.IngestConfig;
import brocard.webhooks.outbox.EventOrigin;
import brocard.webhooks.quarantine.QuarantineService;
import brocard.webhooks.security.BodyFingerprint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The path of every webhook: content type, JSON, storable values ({@link StorableJson}), dispatch on
 * {@code webhook_type}, validation (all on the calling thread, typically the event loop), then storage by the
 * group-commit {@link IngestWriter} without a thread waiting for it. A refused webhook is kept in quarantine before
 * the refusal is answered, so nothing Brocard sends is lost.
 */
@ApplicationScoped
public class IngestService {

    private final Map<WebhookKind, WebhookIngestor<?>> ingestors = new EnumMap<>(WebhookKind.class);
    private final Map<WebhookKind, Timer> storeDuration = new EnumMap<>(WebhookKind.class);
    private final IngestWriter writer;
    private final UnrecognizedWebhookStore unrecognized;
    private final QuarantineService quarantine;
    private final BodyFingerprint fingerprints;
    private final IngestConfig config;
    private final ZoneId providerZone;
    private final ReceivedCounters received;

    public IngestService(Instance<WebhookIngestor<?>> all, IngestWriter writer, UnrecognizedWebhookStore unrecognized,
                         QuarantineService quarantine, BodyFingerprint fingerprints, IngestConfig config,
                         @ConfigProperty(name = "brocard.provider-timezone", defaultValue = "UTC") ZoneId providerZone,
                         MeterRegistry registry) {
        all.forEach(ingestor -> ingestors.put(ingestor.kind(), ingestor));
        for (WebhookKind kind : WebhookKind.values()) {
            storeDuration.put(kind, Timer.builder("brocard.webhooks.store.duration").tag("type", kind.wireName())
                    .description("From handing a webhook to the writer to its batch's commit")
                    .publishPercentileHistogram().register(registry));
        }
        this.writer = writer;
        this.unrecognized = unrecognized;
        this.quarantine = quarantine;
        this.fingerprints = fingerprints;
        this.config = config;
        this.providerZone = providerZone;
        this.received = new ReceivedCounters(registry);
    }

    public Uni<IngestOutcome> ingest(RawWebhook raw) {
        String type = "unknown";
        try {
            requireJsonContentType(raw.contentType());
            ObjectNode body = WebhookJson.parseObject(raw.body());
            type = typeTag(raw.endpoint(), body);
            // Before dispatch: whatever the type, a value the database cannot hold is refused here, by field path.
            StorableJson.requireStorable(body);
            return dispatch(raw, ReceivedWebhook.now(body), type);
        } catch (InvalidWebhookException e) {
            return quarantine(raw, e, type);
        }
    }

    /**
     * A payment or refund that reconciliation fetched from Brocard's REST API because its webhook never arrived,
     * already in webhook shape: the same storable-values check, validation, deduplication and outbox as a webhook
     * posted to its typed URL, so consumers see each event once whichever way it came. Refused, it is quarantined
     * like a webhook (endpoint of its kind, remote address {@code brocard-api}).
     */
    public Uni<IngestOutcome> ingestRecovered(WebhookKind kind, ObjectNode body) {
        Endpoint endpoint = kind == WebhookKind.PAYMENT ? Endpoint.PAYMENTS : Endpoint.REFUNDS;
        RawWebhook raw = new RawWebhook(endpoint, WebhookJson.write(body).getBytes(StandardCharsets.UTF_8),
                "application/json", "brocard-api", "reconciliation");
        try {
            StorableJson.requireStorable(body);
            return store(ingestors.get(kind), raw, ReceivedWebhook.recovered(body));
        } catch (InvalidWebhookException e) {
            return quarantine(raw, e, kind.wireName());
        }
    }

    private Uni<IngestOutcome> dispatch(RawWebhook raw, ReceivedWebhook webhook, String type) {
        JsonNode typeNode = webhook.body().get("webhook_type");
        Optional<WebhookKind> expected = raw.endpoint().expectedKind();
        if (typeNode == null || typeNode.isNull()) {
            // Brocard always sends it; at a typed URL the URL itself says what the body is.
            return store(ingestors.get(expected.orElseThrow(() -> fieldError("The webhook type field is required."))),
                    raw, webhook);
        }
        if (!typeNode.isTextual()) {
            throw fieldError("The webhook type must be a string.");
        }
        Optional<WebhookKind> kind = WebhookKind.fromWireName(typeNode.textValue());
        if (expected.isPresent() && !expected.equals(kind)) {
            throw fieldError("The webhook type must be " + expected.get().wireName() + " at this URL.");
        }
        if (kind.isEmpty()) {
            JsonNode id = webhook.body().get("id");
            Long providerId = id != null && id.canConvertToLong() && id.isIntegralNumber() ? id.longValue() : null;
            // Rare, and not on the group-commit path: a worker thread stores it in a transaction of its own.
            return onWorker(() -> stored(type, unrecognized.store(typeNode.textValue(), providerId, webhook)));
        }
        return store(ingestors.get(kind.get()), raw, webhook);
    }

    private <T> Uni<IngestOutcome> store(WebhookIngestor<T> ingestor, RawWebhook raw, ReceivedWebhook webhook) {
        T validated = ingestor.validate(webhook.body(), new JsonFields(webhook.body(), providerZone));
        StoreRequest<T> request = ingestor.prepare(validated, webhook, CanonicalBody.of(webhook.body(), fingerprints));
        String type = ingestor.kind().wireName();
        Uni<IngestResult> committed = Uni.createFrom().completionStage(writer.submit(request));
        Context context = Vertx.currentContext();
        if (context != null) {
            // Completed by the writer thread: hand the answer back to the request's own event loop, so the writer
            // goes straight on to the next batch instead of writing HTTP responses.
            committed = committed.emitOn(command -> context.runOnContext(ignored -> command.run()));
        }
        return committed
                .map(result -> {
                    storeDuration.get(ingestor.kind()).record(System.nanoTime() - request.createdNanos(),
                            TimeUnit.NANOSECONDS);
                    return webhook.origin() == EventOrigin.WEBHOOK ? stored(type, result)
                            : new IngestOutcome.Stored(result); // reconciliation counts its own
                })
                .onFailure(StoreUnavailableException.class).recoverWithItem(e -> {
                    received.increment(type, "unavailable");
                    return new IngestOutcome.Unavailable((StoreUnavailableException) e, UUID.randomUUID(),
                            config.retryAfter());
                })
                .onFailure(StoreRefusedException.class).recoverWithUni(e -> quarantine(raw,
                        new InvalidWebhookException(InvalidWebhookException.Reason.UNSTORABLE_VALUE, e.getMessage(),
                                Map.of()), type));
    }

    private IngestOutcome stored(String type, IngestResult result) {
        received.increment(type, result.status() == IngestResult.Status.ACCEPTED ? "accepted" : "duplicate");
        return new IngestOutcome.Stored(result);
    }

    private Uni<IngestOutcome> quarantine(RawWebhook raw, InvalidWebhookException error, String type) {
        return onWorker(() -> {
            UUID requestId = quarantine.store(raw, error);
            received.increment(type, "invalid");
            return new IngestOutcome.Rejected(error, requestId);
        });
    }

    private static Uni<IngestOutcome> onWorker(java.util.function.Supplier<IngestOutcome> blocking) {
        return Uni.createFrom().item(blocking).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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

    private static InvalidWebhookException fieldError(String message) {
        return InvalidWebhookException.fields(Map.of("webhook_type", List.of(message)));
    }
}
