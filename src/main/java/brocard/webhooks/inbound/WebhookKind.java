package brocard.webhooks.inbound;

import java.util.Arrays;
import java.util.Optional;

/** The {@code webhook_type} values Brocard documents. Others are accepted and stored as unrecognized. */
public enum WebhookKind {
    PAYMENT("payment"),
    REFUND("refund"),
    OTP_CODE("otp_code");

    private final String wireName;

    WebhookKind(String wireName) {
        this.wireName = wireName;
    }

    /** The value of {@code webhook_type} on the wire. */
    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookKind> fromWireName(String value) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(value)).findFirst();
    }
}
