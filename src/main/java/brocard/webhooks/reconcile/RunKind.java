package brocard.webhooks.reconcile;

import brocard.webhooks.inbound.WebhookKind;

import java.util.Optional;

/** What a run reconciles; named as in the API's paths and in {@code POST /admin/reconciliations}' {@code kinds}. */
public enum RunKind {
    PAYMENTS("payments", WebhookKind.PAYMENT),
    REFUNDS("refunds", WebhookKind.REFUND);

    private final String wireName;
    private final WebhookKind webhookKind;

    RunKind(String wireName, WebhookKind webhookKind) {
        this.wireName = wireName;
        this.webhookKind = webhookKind;
    }

    public String wireName() {
        return wireName;
    }

    public WebhookKind webhookKind() {
        return webhookKind;
    }

    public static Optional<RunKind> fromWireName(String name) {
        for (RunKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
