package brocard.webhooks.http;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures are "retry later" (503) and which are a fault to fix (500), however deeply they are wrapped. */
class DatabaseUnavailableTest {

    @Test
    void connectionProblemsAnywhereInTheChainMeanUnavailable() {
        assertTrue(DatabaseUnavailable.isCauseOf(new SQLTransientConnectionException("pool")));
        assertTrue(DatabaseUnavailable.isCauseOf(wrapped(new SQLException("I/O error", "08006"))));
        assertTrue(DatabaseUnavailable.isCauseOf(wrapped(new SQLException("too many clients", "53300"))));
        assertTrue(DatabaseUnavailable.isCauseOf(wrapped(new SQLException("shutting down", "57P01"))));
        assertTrue(DatabaseUnavailable.isCauseOf(wrapped(new SQLException("statement timeout", "57014"))));
        assertTrue(DatabaseUnavailable.isCauseOf(wrapped(new SQLException("Sorry, acquisition timeout!"))));
        assertTrue(DatabaseUnavailable.isCauseOf(wrapped(new ConnectException("Connection refused"))));
        // Agroal when opening a new connection takes longer than the login timeout (seen with PostgreSQL stopped).
        assertTrue(
                DatabaseUnavailable.isCauseOf(wrapped(new SQLException(new java.util.concurrent.TimeoutException()))));
        assertTrue(DatabaseUnavailable.isCauseOf(wrapped(new SQLException("lock timeout", "55P03"))));
    }

    @Test
    void faultsOfOursAreNot() {
        assertFalse(DatabaseUnavailable.isCauseOf(wrapped(new SQLException("relation does not exist", "42P01"))));
        assertFalse(DatabaseUnavailable.isCauseOf(wrapped(new SQLException("value too long", "22001"))));
        assertFalse(DatabaseUnavailable.isCauseOf(new SQLException("no state, other message")));
        assertFalse(DatabaseUnavailable.isCauseOf(new NullPointerException()));
    }

    @Test
    void aCyclicCauseChainEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(DatabaseUnavailable.isCauseOf(a));
    }

    private static RuntimeException wrapped(Exception cause) {
        return new IllegalStateException("outer", new RuntimeException("middle", cause));
    }
}
