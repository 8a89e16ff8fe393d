package brocard.webhooks.keys;

import brocard.webhooks.otp.StoredOtpSecrets;
import brocard.webhooks.quarantine.QuarantineService;
import brocard.webhooks.relay.directory.RecipientDirectory;
import brocard.webhooks.security.Keyring;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * Re-seals every stored secret under the current key after a rotation: route secrets, quarantined bodies and the
 * codes and passwords still in outbox rows. Runs on a schedule (every replica; batches skip rows another one holds)
 * and on demand ({@code POST /admin/keys/reencrypt}). When every store counts zero rows under other kids, the old key
 * can leave the ring (docs/operations.md, "Rotating the encryption key").
 */
// At startup, so the brocard.keys.* series exist before the first scheduled run.
@Startup
@ApplicationScoped
public class KeyRotation {

    // Metric names of this feature, in one place (Prometheus names in docs/operations.md).
    static final String NOT_CURRENT = "brocard.keys.not.current";
    static final String RESEALED = "brocard.keys.resealed";

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);

    /** One store of sealed secrets. */
    private record Store(
            String name, IntUnaryOperator resealBatch, Supplier<Map<String, Long>> countByKid, AtomicLong notCurrent) {}

    private final Keyring keyring;
    private final int batchSize;
    private final Map<String, Store> stores = new LinkedHashMap<>();
    private final MeterRegistry registry;

    public KeyRotation(
            Keyring keyring,
            RecipientDirectory directory,
            QuarantineService quarantine,
            StoredOtpSecrets otpSecrets,
            MeterRegistry registry,
            @ConfigProperty(name = "brocard.key-rotation.batch-size", defaultValue = "500") int batchSize) {
        this.keyring = keyring;
        this.batchSize = batchSize;
        this.registry = registry;
        add(new Store("route_secrets", directory::resealSecretsBatch, directory::secretCountByKid, new AtomicLong()));
        add(new Store("quarantine", quarantine::resealBatch, quarantine::countByKid, new AtomicLong()));
        add(new Store("outbox_otp_secrets", otpSecrets::resealBatch, otpSecrets::countByKid, new AtomicLong()));
    }

    private void add(Store store) {
        stores.put(store.name(), store);
        Gauge.builder(NOT_CURRENT, store.notCurrent(), AtomicLong::get)
                .tag("store", store.name())
                .description("Stored secrets sealed under another key than the current one (at the last check)")
                .register(registry);
        registry.counter(RESEALED, "store", store.name());
    }

    @Scheduled(
            every = "${brocard.key-rotation.interval:10m}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            reencryptAll();
        } catch (RuntimeException e) {
            LOG.errorf(
                    "Key rotation: re-encryption stopped (%s: %s); next run in brocard.key-rotation.interval",
                    e.getClass().getSimpleName(), e.getMessage());
        }
    }

    /** Re-seals everything not under the current kid, batch by batch (one transaction each); returns counts. */
    public Map<String, Integer> reencryptAll() {
        Map<String, Integer> resealed = new LinkedHashMap<>();
        for (Store store : stores.values()) {
            int total = 0;
            int done;
            do {
                done = store.resealBatch().applyAsInt(batchSize);
                total += done;
            } while (done == batchSize);
            resealed.put(store.name(), total);
            registry.counter(RESEALED, "store", store.name()).increment(total);
            if (total > 0) {
                LOG.infof("Key rotation: re-sealed %d %s under kid %s", total, store.name(), keyring.currentKid());
            }
        }
        status();
        return resealed;
    }

    /** Per store, how many secrets each kid sealed; refreshes the {@code brocard.keys.not.current} gauges. */
    public Map<String, Map<String, Long>> status() {
        Map<String, Map<String, Long>> status = new LinkedHashMap<>();
        for (Store store : stores.values()) {
            Map<String, Long> counts = store.countByKid().get();
            store.notCurrent()
                    .set(counts.entrySet().stream()
                            .filter(e -> !e.getKey().equals(keyring.currentKid()))
                            .mapToLong(Map.Entry::getValue)
                            .sum());
            status.put(store.name(), counts);
        }
        return status;
    }
}
