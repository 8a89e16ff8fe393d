package brocard.webhooks.db;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Binds the parameters of a multi-row {@code unnest} statement in order, one column array per call:
 * {@code params.uuids(Row::id).texts(Row::name)}. See {@link SqlArrays} for the casts the statement must carry.
 *
 * @param <T> one row
 */
public final class ArrayParameters<T> {

    private final PreparedStatement statement;
    private final SqlArrays arrays;
    private final List<T> rows;
    private int index;

    public ArrayParameters(PreparedStatement statement, List<T> rows) throws SQLException {
        this.statement = statement;
        this.arrays = new SqlArrays(statement.getConnection());
        this.rows = rows;
    }

    public ArrayParameters<T> longs(Function<T, Long> column) throws SQLException {
        statement.setArray(++index, arrays.longs(rows, column));
        return this;
    }

    public ArrayParameters<T> texts(Function<T, String> column) throws SQLException {
        statement.setArray(++index, arrays.texts(rows, column));
        return this;
    }

    public ArrayParameters<T> uuids(Function<T, UUID> column) throws SQLException {
        statement.setArray(++index, arrays.uuids(rows, column));
        return this;
    }

    public ArrayParameters<T> booleans(Function<T, Boolean> column) throws SQLException {
        statement.setArray(++index, arrays.booleans(rows, column));
        return this;
    }

    public ArrayParameters<T> bytes(Function<T, byte[]> column) throws SQLException {
        statement.setArray(++index, arrays.bytes(rows, column));
        return this;
    }

    /** Bind to {@code ?::numeric[]}. */
    public ArrayParameters<T> decimals(Function<T, BigDecimal> column) throws SQLException {
        statement.setArray(++index, arrays.decimals(rows, column));
        return this;
    }

    /** Bind to {@code ?::timestamptz[]}. */
    public ArrayParameters<T> instants(Function<T, Instant> column) throws SQLException {
        statement.setArray(++index, arrays.instants(rows, column));
        return this;
    }
}
