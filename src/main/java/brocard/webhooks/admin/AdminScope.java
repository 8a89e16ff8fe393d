package brocard.webhooks.admin;

/** What an operator token may do in the operator API. */
public enum AdminScope {
    /** Look only: GET (and HEAD, OPTIONS). */
    READ,
    /** Look and change: the directory, quarantine replays, every other operator action. */
    WRITE;

    /** Whether a request with this HTTP method needs {@link #WRITE}. */
    static boolean needsWrite(String method) {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }

    boolean allows(String method) {
        return this == WRITE || !needsWrite(method);
    }
}
