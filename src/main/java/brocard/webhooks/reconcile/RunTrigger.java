package brocard.webhooks.reconcile;

/** Who started a run: the scheduled sweep, or an operator through the admin API. */
public enum RunTrigger {
    SCHEDULED,
    OPERATOR;

    public String wireName() {
        return name().toLowerCase();
    }
}
