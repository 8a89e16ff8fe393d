package brocard.webhooks.inbound;

import java.util.Optional;

/**
 * The URL a webhook arrived at. The combined URL takes any {@code webhook_type} (Brocard posts payments and refunds
 * to one configured URL); a typed URL takes only its own.
 */
public enum Endpoint {
    COMBINED(null),
    PAYMENTS(WebhookKind.PAYMENT),
    REFUNDS(WebhookKind.REFUND),
    THREE_DS(WebhookKind.OTP_CODE);

    private final WebhookKind expected;

    Endpoint(WebhookKind expected) {
        this.expected = expected;
    }

    /** The kind this URL is for, if it is a typed one. */
    public Optional<WebhookKind> expectedKind() {
        return Optional.ofNullable(expected);
    }
}
