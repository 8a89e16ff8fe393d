package brocard.webhooks.security;

/**
 * What a key protects. Each purpose has its own key, derived from each master key with HKDF ({@link Hkdf}), so a
 * party given one purpose's key (e.g. a consumer of brocard.otp that decrypts codes) cannot open anything else.
 */
public enum KeyPurpose {
    /** The encrypted fields of brocard.otp events ({@code code_encrypted}, {@code password_encrypted}). */
    EVENT_FIELDS("brocard-webhooks/event-fields"),
    /** The webhook routes' signing secrets in the recipient directory. */
    ROUTE_SECRETS("brocard-webhooks/route-secrets"),
    /** Quarantined request bodies. */
    QUARANTINE("brocard-webhooks/quarantine");

    private final String info;

    KeyPurpose(String info) {
        this.info = info;
    }

    /** The HKDF info string (public: a consumer derives its key with it, see docs/events). */
    public String info() {
        return info;
    }
}
