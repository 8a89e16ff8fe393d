package brocard.webhooks.reconcile;

import brocard.webhooks.brocardapi.BrocardApiClient;
import brocard.webhooks.brocardapi.ListPage;
import brocard.webhooks.brocardapi.PageRequest;
import brocard.webhooks.brocardapi.WebhookShape;
import brocard.webhooks.ingest.IngestOutcome;
import brocard.webhooks.ingest.IngestResult;
import brocard.webhooks.ingest.IngestService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One run over a window: every page of each kind's list, and for each event the API shows (a payment in its
 * current state, a refund) that is not stored yet, the same ingest path as a webhook ({@link
 * IngestService#ingestRecovered}): validation, deduplication by the event table's unique key, outbox, with origin
 * {@code reconciliation}. The run stops at the first page it cannot get or store; what it stored until then stays
 * stored, and the next run goes over the same window again.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    /** A page's events are stored by the group-commit writer in a few batches; this only bounds a stuck writer. */
    private static final Duration STORE_TIMEOUT = Duration.ofMinutes(2);
    /** Guards against an API that keeps answering "there is more" (a cursor that does not move). */
    private static final int MAX_PAGES = 100_000;

    private final BrocardApiClient api;
    private final KnownEvents known;
    private final IngestService ingest;
    private final RunStore runs;
    private final ReconcileMetrics metrics;
    private final ProviderZoneCheck zoneCheck;

    public Reconciler(
            BrocardApiClient api,
            KnownEvents known,
            IngestService ingest,
            RunStore runs,
            ReconcileMetrics metrics,
            ProviderZoneCheck zoneCheck) {
        this.api = api;
        this.known = known;
        this.ingest = ingest;
        this.runs = runs;
        this.metrics = metrics;
        this.zoneCheck = zoneCheck;
    }

    /** Counts go into {@code counts} (and the run's row, page by page) as the run goes. */
    void run(long runId, ReconcileWindow window, List<RunKind> kinds, RunCounts counts) {
        for (RunKind kind : kinds) {
            boolean zoneChecked = kind != RunKind.PAYMENTS;
            PageRequest request = PageRequest.first();
            for (int pages = 1; ; pages++) {
                ListPage page = kind == RunKind.PAYMENTS
                        ? api.payments(window.begin(), window.end(), request)
                        : api.refunds(window.begin(), window.end(), request);
                reconcile(kind, page.items(), counts);
                runs.progress(runId, counts);
                if (!zoneChecked && !page.items().isEmpty()) {
                    zoneChecked = zoneCheck.check(page.items().get(0)).isPresent();
                }
                Optional<PageRequest> next = page.next();
                if (next.isEmpty()) {
                    break;
                }
                if (next.get().equals(request) || pages >= MAX_PAGES) {
                    throw new ReconcileException("Brocard's " + kind.wireName() + " list does not advance ("
                            + page.style() + " pagination, page " + pages + ")");
                }
                request = next.get();
            }
        }
    }

    private void reconcile(RunKind kind, List<ObjectNode> items, RunCounts counts) {
        counts.scanned += items.size();
        String type = kind.webhookKind().wireName();
        Map<String, ObjectNode> byKey = new LinkedHashMap<>();
        List<ObjectNode> unreadable = new ArrayList<>();
        for (ObjectNode item : items) {
            ObjectNode body = WebhookShape.of(type, item);
            keyOf(kind, body).ifPresentOrElse(key -> byKey.putIfAbsent(key, body), () -> unreadable.add(body));
        }
        Map<String, KnownEvents.Stored> stored = byKey.isEmpty()
                ? Map.of()
                : kind == RunKind.PAYMENTS
                        ? known.payments(byKey.keySet().stream()
                                .map(Reconciler::paymentKey)
                                .toList())
                        : known.refunds(
                                byKey.keySet().stream().map(Long::valueOf).toList());

        List<String> unknown =
                byKey.keySet().stream().filter(key -> !stored.containsKey(key)).toList();
        Set<String> quarantinedBefore = unknown.isEmpty()
                ? Set.of()
                : known.quarantinedByReconciliation(
                        kind == RunKind.PAYMENTS ? "PAYMENTS" : "REFUNDS", kind == RunKind.PAYMENTS, unknown);

        Map<String, Uni<IngestOutcome>> submitted = new LinkedHashMap<>();
        for (Map.Entry<String, ObjectNode> entry : byKey.entrySet()) {
            KnownEvents.Stored before = stored.get(entry.getKey());
            if (before == null && quarantinedBefore.contains(entry.getKey())) {
                counts.invalid++; // still invalid, still in quarantine from an earlier run
                continue;
            }
            if (before == null) {
                submitted.put(entry.getKey(), ingest.ingestRecovered(kind.webhookKind(), entry.getValue()));
                continue;
            }
            counts.alreadyKnown++;
            if (!sameMoney(before, entry.getValue())) {
                counts.conflicts++;
                metrics.conflict(type);
                LOG.warnf(
                        "Reconciliation: %s %s is stored with another amount or currency than Brocard's API shows "
                                + "now; the stored event is kept",
                        type, entry.getKey());
            }
        }
        // An entry without a readable id or state is still sent through validation: it is refused and quarantined
        // like such a webhook would be, where an operator sees it.
        for (int i = 0; i < unreadable.size(); i++) {
            submitted.put("unreadable#" + i, ingest.ingestRecovered(kind.webhookKind(), unreadable.get(i)));
        }
        for (Map.Entry<String, Uni<IngestOutcome>> entry : submitted.entrySet()) {
            count(type, entry.getKey(), entry.getValue().await().atMost(STORE_TIMEOUT), counts);
        }
    }

    private void count(String type, String key, IngestOutcome outcome, RunCounts counts) {
        if (outcome instanceof IngestOutcome.Stored stored) {
            if (stored.result().status() == IngestResult.Status.ACCEPTED) {
                counts.recovered++;
                metrics.recovered(type);
                LOG.infof("Reconciliation recovered %s %s: its webhook never arrived", type, key);
            } else {
                counts.alreadyKnown++; // its webhook arrived while the run was at it
            }
        } else if (outcome instanceof IngestOutcome.Rejected rejected) {
            counts.invalid++;
            LOG.warnf(
                    "Reconciliation: Brocard's API shows a %s that validation refuses (%s), quarantined as %s",
                    type, rejected.error().reason(), rejected.requestId());
        } else if (outcome instanceof IngestOutcome.Unavailable unavailable) {
            throw new ReconcileException("Recovered events could not be stored now ("
                    + unavailable.error().reason() + ")");
        }
    }

    /** The event table's dedup key, read as loosely as validation reads it; empty if it cannot be read. */
    private static Optional<String> keyOf(RunKind kind, ObjectNode body) {
        Long id = integer(body.get("id"));
        if (id == null) {
            return Optional.empty();
        }
        if (kind == RunKind.REFUNDS) {
            return Optional.of(Long.toString(id));
        }
        Long state = integer(body.path("state").get("value"));
        return state == null ? Optional.empty() : Optional.of(id + "/" + state);
    }

    private static long[] paymentKey(String key) {
        int slash = key.indexOf('/');
        return new long[] {Long.parseLong(key.substring(0, slash)), Long.parseLong(key.substring(slash + 1))};
    }

    private static Long integer(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual() && node.textValue().matches("-?\\d{1,18}")) {
            return Long.parseLong(node.textValue());
        }
        return null;
    }

    private static boolean sameMoney(KnownEvents.Stored stored, ObjectNode body) {
        JsonNode amount = body.get("amount");
        try {
            BigDecimal api = amount == null ? null : new BigDecimal(amount.asText());
            return api != null
                    && api.compareTo(stored.amount()) == 0
                    && Objects.equals(stored.currency(), body.path("currency").asText(null));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
