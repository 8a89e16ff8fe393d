package brocard.webhooks.reconcile;

import brocard.webhooks.brocardapi.BrocardApiClient;
import brocard.webhooks.brocardapi.BrocardApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Checks the assumption every stored instant rests on. Brocard writes dates "at user timezone" without an offset,
 * and this service reads them in {@code brocard.provider-timezone}. Its API can answer the same payment with
 * {@code tz=UTC}: the difference between the two {@code date}s is the account's real offset at that moment. When
 * it is not the configured zone's offset, the stored and published instants are off by the difference: a warning
 * and {@code brocard_reconcile_provider_timezone_mismatch} say so (the dates' original text is kept, so they can be
 * corrected).
 */
@ApplicationScoped
public class ProviderZoneCheck {

    private static final Logger LOG = Logger.getLogger(ProviderZoneCheck.class);

    private final BrocardApiClient api;
    private final ZoneId providerZone;
    private final ReconcileMetrics metrics;

    public ProviderZoneCheck(
            BrocardApiClient api,
            ReconcileMetrics metrics,
            @ConfigProperty(name = "brocard.provider-timezone", defaultValue = "UTC") ZoneId zone) {
        this.api = api;
        this.metrics = metrics;
        this.providerZone = zone;
    }

    /** {@code +02:00}, and {@code +00:00} rather than {@code Z}. */
    private static String offset(ZoneOffset offset) {
        return offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId();
    }

    /**
     * @param payment a payment as a list answered it, at the account's zone (no {@code tz})
     * @return the inferred offset, if the check could be made; a failure to check never fails the run
     */
    public Optional<ZoneOffset> check(ObjectNode payment) {
        try {
            long id = payment.path("id").asLong();
            LocalDateTime local = ReconcileWindow.parse(payment.path("date").asText());
            JsonNode inUtc = api.payment(id, "UTC").orElse(null);
            if (inUtc == null) {
                return Optional.empty();
            }
            LocalDateTime utc = ReconcileWindow.parse(inUtc.path("date").asText());
            int seconds = (int) Duration.between(utc, local).getSeconds();
            ZoneOffset observed = ZoneOffset.ofTotalSeconds(seconds);
            ZoneOffset expected = providerZone.getRules().getOffset(utc.toInstant(ZoneOffset.UTC));
            boolean matches = observed.equals(expected);
            metrics.providerOffset(seconds, matches);
            if (!matches) {
                LOG.warnf(
                        "Brocard's dates are at UTC%s (payment %d: %s at the account's zone is %s UTC), but "
                                + "brocard.provider-timezone %s is at UTC%s then: stored and published instants are "
                                + "off by %d s; set brocard.provider-timezone to the account's zone",
                        offset(observed),
                        id,
                        ReconcileWindow.format(local),
                        ReconcileWindow.format(utc),
                        providerZone,
                        offset(expected),
                        seconds - expected.getTotalSeconds());
            }
            return Optional.of(observed);
        } catch (BrocardApiException e) {
            LOG.warnf("Could not check Brocard's time zone this run: %s", e.getMessage()); // our words, no key
            return Optional.empty();
        } catch (DateTimeException e) {
            LOG.warnf("Could not check Brocard's time zone this run: a date is not Y-m-d H:i:s");
            return Optional.empty();
        }
    }
}
