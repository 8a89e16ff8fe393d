package brocard.webhooks.ingest;

import brocard.webhooks.config.IngestConfig;
import brocard.webhooks.http.DatabaseUnavailable;
import brocard.webhooks.http.UnexpectedFailureMapper;
import brocard.webhooks.inbound.Endpoint;
import brocard.webhooks.inbound.InvalidWebhookException;
import brocard.webhooks.inbound.RawWebhook;
import brocard.webhooks.inbound.WebhookKind;
import brocard.webhooks.inbound.WebhookMetricNames;
import brocard.webhooks.json.Json;
import brocard.webhooks.json.StorableJson;
import brocard.webhooks.outbox.EventOrigin;
import brocard.webhooks.quarantine.QuarantineService;
import brocard.webhooks.security.BodyFingerprint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The path of every webhook: content type, JSON, storable values ({@link StorableJson}), dispatch on
 * {@code webhook_type}, validation (all on the calling thread, typically the event loop), then storage by the
 * group-commit {@link IngestWriter} without a thread waiting for it. A refused webhook is kept in quarantine before
 * the refusal is answered, so nothing Brocard sends is lost.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    private final Map<WebhookKind, WebhookIngestor<?>> ingestors = new EnumMap<>(WebhookKind.class);
    private final Map<WebhookKind, Timer> storeDuration = new EnumMap<>(WebhookKind.class);
    private final IngestWriter writer;
    private final UnrecognizedWebhookStore unrecognized;
    private final QuarantineService quarantine;
    private final BodyFingerprint fingerprints;
    private final IngestConfig config;
    private final ZoneId providerZone;
    private final ReceivedCounters received;
    private final Map<StoreUnavailableException.Reason, Counter> unavailable =
            new EnumMap<>(StoreUnavailableException.Reason.class);

    public IngestService(
            Instance<WebhookIngestor<?>> all,
            IngestWriter writer,
            UnrecognizedWebhookStore unrecognized,
            QuarantineService quarantine,
            BodyFingerprint fingerprints,
            IngestConfig config,
            @ConfigProperty(name = "brocard.provider-timezone", defaultValue = "UTC") ZoneId providerZone,
            MeterRegistry registry) {
        all.forEach(ingestor -> ingestors.put(ingestor.kind(), ingestor));
        for (WebhookKind kind : WebhookKind.values()) {
            storeDuration.put(
                    kind,
                    Timer.builder(WebhookMetricNames.STORE_DURATION)
                            .tag("type", kind.wireName())
                            .description("From handing a webhook to the writer to its batch's commit")
                            .publishPercentileHistogram()
                            .register(registry));
        }
        this.writer = writer;
        this.unrecognized = unrecognized;
        this.quarantine = quarantine;
        this.fingerprints = fingerprints;
        this.config = config;
        this.providerZone = providerZone;
        this.received = new ReceivedCounters(registry);
        for (StoreUnavailableException.Reason reason : StoreUnavailableException.Reason.values()) {
            unavailable.put(
                    reason,
                    Counter.builder(IngestMetricNames.UNAVAILABLE)
                            .tag("reason", reason.name().toLowerCase())
                            .description("Webhooks answered 503 (not stored now), by why")
                            .register(registry));
        }
    }

    public Uni<IngestOutcome> ingest(RawWebhook raw) {
        String type = "unknown";
        try {
            requireJsonContentType(raw.contentType());
            ObjectNode body = Json.parseObject(raw.body());
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
        RawWebhook raw = new RawWebhook(
                endpoint,
                Json.write(body).getBytes(StandardCharsets.UTF_8),
                "application/json",
                "brocard-api",
                "reconciliation");
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
            return store(
                    ingestors.get(expected.orElseThrow(() -> fieldError("The webhook type field is required."))),
                    raw,
                    webhook);
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
            return onWorker(
                    () -> new IngestOutcome.Stored(unrecognized.store(typeNode.textValue(), providerId, webhook)),
                    type);
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
                    storeDuration
                            .get(ingestor.kind())
                            .record(System.nanoTime() - request.createdNanos(), TimeUnit.NANOSECONDS);
                    return webhook.origin() == EventOrigin.WEBHOOK
                            ? stored(type, result)
                            : new IngestOutcome.Stored(result); // reconciliation counts its own
                })
                .onFailure(StoreUnavailableException.class)
                .recoverWithItem(e -> unavailable((StoreUnavailableException) e, type))
                .onFailure(StoreRefusedException.class)
                .recoverWithUni(e -> quarantine(
                        raw,
                        new InvalidWebhookException(
                                InvalidWebhookException.Reason.UNSTORABLE_VALUE, e.getMessage(), Map.of()),
                        type));
    }

    private IngestOutcome stored(String type, IngestResult result) {
        countStored(type, result);
        return new IngestOutcome.Stored(result);
    }

    private void countStored(String type, IngestResult result) {
        received.increment(type, result.status() == IngestResult.Status.ACCEPTED ? "accepted" : "duplicate");
    }

    private IngestOutcome unavailable(StoreUnavailableException error, String type) {
        return unavailable(error, type, UUID.randomUUID());
    }

    private IngestOutcome unavailable(StoreUnavailableException error, String type, UUID requestId) {
        received.increment(type, "unavailable");
        unavailable.get(error.reason()).increment();
        return new IngestOutcome.Unavailable(error, requestId, config.retryAfter());
    }

    private Uni<IngestOutcome> quarantine(RawWebhook raw, InvalidWebhookException error, String type) {
        return onWorker(() -> new IngestOutcome.Rejected(error, quarantine.store(raw, error)), type);
    }

    /**
     * Stores off the event loop, in a transaction on a pooled connection (quarantine, unrecognized types), with the
     * same promise as the writer: when the database is unavailable, or no answer came within the store timeout (the
     * pool's wait, a connection attempt, a lock), the answer is 503 with {@code Retry-After}, never a 200 for what is
     * not committed. The worker may still finish after the timeout; its late outcome is dropped (and not counted).
     */
    private Uni<IngestOutcome> onWorker(Supplier<IngestOutcome> blocking, String type) {
        UUID requestId = UUID.randomUUID(); // of the 503, if any: also in the log line that says why
        return Uni.createFrom()
                .item(() -> unlessDatabaseUnavailable(blocking, requestId))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem()
                .after(config.storeTimeout())
                .failWith(() -> new StoreUnavailableException(StoreUnavailableException.Reason.STORE_TIMEOUT))
                .onItem()
                .ifNull()
                .failWith(() -> new StoreUnavailableException(StoreUnavailableException.Reason.STORE_FAILED))
                .onFailure(StoreUnavailableException.class)
                .recoverWithItem(e -> unavailable((StoreUnavailableException) e, type, requestId))
                .invoke(outcome -> {
                    if (outcome instanceof IngestOutcome.Stored stored) {
                        countStored(type, stored.result());
                    } else if (outcome instanceof IngestOutcome.Rejected) {
                        received.increment(type, "invalid");
                    }
                });
    }

    /**
     * Null when the database is unavailable: as an item, not a failure, because it may come after the timeout has
     * answered, and Mutiny logs a failure nobody listens to any more as an error with its stack trace. One log line
     * says why, with the request id of the 503 (exception classes and SQLStates only, as the failure mapper does).
     */
    private static IngestOutcome unlessDatabaseUnavailable(Supplier<IngestOutcome> blocking, UUID requestId) {
        try {
            return blocking.get();
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.isCauseOf(e)) {
                LOG.warnf(
                        "Request %s answered 503, database unavailable: %s",
                        requestId, UnexpectedFailureMapper.describe(e));
                return null;
            }
            throw e;
        }
    }

    private static void requireJsonContentType(String contentType) {
        String mediaType =
                contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new InvalidWebhookException(
                    InvalidWebhookException.Reason.UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be sent as application/json.",
                    Map.of());
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
        return WebhookKind.fromWireName(type.textValue())
                .map(WebhookKind::wireName)
                .orElse("unrecognized");
    }

    private static InvalidWebhookException fieldError(String message) {
        return InvalidWebhookException.fields(Map.of("webhook_type", List.of(message)));
    }
}
