package brocard.webhooks.reconcile;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * A window of Brocard dates, {@code Y-m-d H:i:s} at the provider's time zone: how Brocard writes dates and filters
 * its lists by them ({@code dates[begin]}, {@code dates[end]}).
 */
public record ReconcileWindow(LocalDateTime from, LocalDateTime to) {

    private static final DateTimeFormatter BROCARD =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

    public ReconcileWindow {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /** @throws DateTimeParseException if the text is not {@code Y-m-d H:i:s} */
    public static LocalDateTime parse(String text) {
        return LocalDateTime.parse(text, BROCARD);
    }

    public static String format(LocalDateTime date) {
        return BROCARD.format(date);
    }

    public String begin() {
        return format(from);
    }

    public String end() {
        return format(to);
    }
}
