package brocard.webhooks.ingest;

import brocard.webhooks.inbound.WebhookKind;
import brocard.webhooks.inbound.WebhookMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code brocard.webhooks.received{type, outcome}}, registered once per tag pair instead of being looked up (and its
 * tags allocated) on every webhook. Type tags are bounded: the known kinds, {@code unknown} and {@code unrecognized}.
 */
final class ReceivedCounters {

    static final List<String> OUTCOMES = List.of("accepted", "duplicate", "invalid", "unavailable");

    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    ReceivedCounters(MeterRegistry registry) {
        this.registry = registry;
        for (WebhookKind kind : WebhookKind.values()) {
            OUTCOMES.forEach(outcome -> get(kind.wireName(), outcome));
        }
    }

    void increment(String type, String outcome) {
        get(type, outcome).increment();
    }

    private Counter get(String type, String outcome) {
        Map<String, Counter> ofType = counters.get(type);
        Counter counter = ofType == null ? null : ofType.get(outcome);
        if (counter != null) {
            return counter;
        }
        return counters.computeIfAbsent(type, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        outcome, o -> registry.counter(WebhookMetricNames.RECEIVED, "type", type, "outcome", outcome));
    }
}
