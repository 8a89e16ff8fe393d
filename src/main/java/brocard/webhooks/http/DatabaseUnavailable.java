package brocard.webhooks.http;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Whether a failure means "the database cannot serve us now" (answer 503, retry later) rather than a fault of ours
 * (500). Judged on the whole cause chain, as JDBC, Agroal, Hibernate and Narayana each wrap the driver's exception.
 */
public final class DatabaseUnavailable {

    /** Agroal's message when no connection became free within the acquisition timeout; it sets no SQLState. */
    private static final String ACQUISITION_TIMEOUT = "Sorry, acquisition timeout";

    private DatabaseUnavailable() {}

    public static boolean isCauseOf(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            // TimeoutException: Agroal's wait for a new connection to be opened (login timeout) ran out.
            if (t instanceof SQLTransientException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException
                    || t instanceof SocketTimeoutException
                    || t instanceof TimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && (isUnavailableState(sql.getSQLState())
                            || sql.getSQLState() == null
                                    && String.valueOf(sql.getMessage()).startsWith(ACQUISITION_TIMEOUT))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Connection exceptions (08), insufficient resources (53: too many connections, disk full), operator intervention
     * (57P: shutdown, cannot connect now), statement timeout (57014), lock timeout (55P03), serialization failure and
     * deadlock (40001, 40P01). A syntax error or a missing table (42) is not among them: that is a fault to fix, not to wait out.
     */
    private static boolean isUnavailableState(String state) {
        return state != null
                && (state.startsWith("08")
                        || state.startsWith("53")
                        || state.startsWith("57P")
                        || state.equals("57014")
                        || state.equals("55P03")
                        || state.equals("40001")
                        || state.equals("40P01"));
    }
}
