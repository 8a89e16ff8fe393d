package brocard.webhooks.reconcile;

/**
 * What a run found so far. {@code recovered}: events the API has and we had not (a missed webhook, now stored and
 * published); {@code alreadyKnown}: stored before (or by a webhook racing the run); {@code conflicts}: stored, but
 * the API now shows another amount or currency for the same key (kept as stored, for an operator to look at);
 * {@code invalid}: refused by validation, quarantined like a webhook.
 */
final class RunCounts {

    int scanned;
    int recovered;
    int alreadyKnown;
    int conflicts;
    int invalid;
}
