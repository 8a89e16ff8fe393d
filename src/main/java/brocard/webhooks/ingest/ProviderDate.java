package brocard.webhooks.ingest;

import java.time.Instant;

/**
 * A Brocard date: the original {@code Y-m-d H:i:s} text (no offset, "at user timezone") and the instant it denotes
 * under the configured provider time zone. Both are kept because the zone is an assumption that may be corrected.
 */
public record ProviderDate(String original, Instant instant) {

    /** The original text of an optional date, or null. */
    public static String originalOf(ProviderDate date) {
        return date == null ? null : date.original();
    }

    /** The instant of an optional date, or null. */
    public static Instant instantOf(ProviderDate date) {
        return date == null ? null : date.instant();
    }
}
