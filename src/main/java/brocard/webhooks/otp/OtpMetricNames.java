package brocard.webhooks.otp;

/** Metric names of the 3DS code intake (re-issued codes, purged secrets). Prometheus names in docs/operations.md. */
public final class OtpMetricNames {

    public static final String CODES_REISSUED = "brocard.otp.codes.reissued";
    public static final String SECRETS_PURGED = "brocard.otp.secrets.purged";

    private OtpMetricNames() {}
}
