package brocard.webhooks.http;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Quarkus' last-resort HTTP error handler logs {@code "HTTP Request to <uri> failed"} with the raw URI, and a
 * webhook's URI carries its token ({@code ?token=…}). {@link UnexpectedFailureMapper} keeps every failure of our
 * resources away from it; this filter covers what could still get there (a failure outside the REST layer): on that
 * logger only, any parameter that looks like a URI loses its query string before a handler sees the record.
 */
@ApplicationScoped
public class QueryStringRedaction implements Filter {

    static final String QUARKUS_ERROR_HANDLER = "io.quarkus.vertx.http.runtime.QuarkusErrorHandler";

    /** Held here: java.util.logging keeps loggers only weakly, and the filter lives on the logger. */
    private Logger logger;

    void install(@Observes StartupEvent started) {
        logger = Logger.getLogger(QUARKUS_ERROR_HANDLER);
        logger.setFilter(this);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            Object[] redacted = parameters.clone();
            for (int i = 0; i < redacted.length; i++) {
                if (redacted[i] instanceof CharSequence text && text.toString().startsWith("/")) {
                    redacted[i] = withoutQuery(text.toString());
                }
            }
            record.setParameters(redacted);
        }
        return true;
    }

    static String withoutQuery(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query) + "?(query omitted)";
    }
}
