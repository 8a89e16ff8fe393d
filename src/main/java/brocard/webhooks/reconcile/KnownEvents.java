package brocard.webhooks.reconcile;

import brocard.webhooks.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of a page's events are already stored, with the amount and currency they were stored with: one query per
 * page and kind on the event tables' dedup keys. A key found here is not ingested again, so no event that already
 * arrived is published again (and the REST body, which lacks {@code user.uuid}, is not recorded as a conflicting
 * copy of the webhook's).
 */
@ApplicationScoped
public class KnownEvents {

    /** What was stored under a key. */
    public record Stored(BigDecimal amount, String currency) {}

    private final Jdbc jdbc;

    public KnownEvents(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** @param keys {@code paymentId/stateValue}, as {@code PaymentWebhook.dedupKey()} writes them */
    public Map<String, Stored> payments(List<long[]> keys) {
        Long[] ids = keys.stream().map(k -> k[0]).toArray(Long[]::new);
        Long[] states = keys.stream().map(k -> k[1]).toArray(Long[]::new);
        Map<String, Stored> stored = new HashMap<>();
        jdbc.query(
                """
                select e.payment_id, e.state_value, e.amount, e.currency from payment_event e
                join unnest(?::bigint[], ?::bigint[]) as k(payment_id, state_value)
                  on k.payment_id = e.payment_id and k.state_value = e.state_value""",
                row -> stored.put(
                        row.getLong(1) + "/" + row.getLong(2), new Stored(row.getBigDecimal(3), row.getString(4))),
                ids,
                states);
        return stored;
    }

    /**
     * Keys among these that an earlier run already found invalid and quarantined (and nobody replayed since): not
     * quarantined again by every sweep, which would add a row every 15 minutes for as long as Brocard shows it.
     *
     * @param endpoint {@code PAYMENTS} or {@code REFUNDS}, as {@code IngestService.ingestRecovered} quarantines them
     */
    public Set<String> quarantinedByReconciliation(String endpoint, boolean payments, List<String> keys) {
        String key = payments
                ? "(body_preview ->> 'id') || '/' || (body_preview -> 'state' ->> 'value')"
                : "(body_preview ->> 'id')";
        return new HashSet<>(jdbc.query(
                "select distinct " + key + " from quarantined_webhook "
                        + "where remote_address = 'brocard-api' and endpoint = ? and replayed_at is null "
                        + "and " + key + " = any(?::text[])",
                row -> row.getString(1),
                endpoint,
                keys.toArray(new String[0])));
    }

    /** By refund id. */
    public Map<String, Stored> refunds(List<Long> ids) {
        Map<String, Stored> stored = new HashMap<>();
        jdbc.query(
                "select refund_id, amount, currency from refund_event where refund_id = any(?::bigint[])",
                row -> stored.put(Long.toString(row.getLong(1)), new Stored(row.getBigDecimal(2), row.getString(3))),
                (Object) ids.toArray(new Long[0]));
        return stored;
    }
}
