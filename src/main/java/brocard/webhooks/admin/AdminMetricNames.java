package brocard.webhooks.admin;

/** The operator API's metric names. Prometheus names in docs/operations.md. */
public final class AdminMetricNames {

    public static final String REFUSED = "brocard.admin.refused";

    private AdminMetricNames() {}
}
