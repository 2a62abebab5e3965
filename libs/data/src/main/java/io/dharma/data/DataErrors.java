package io.dharma.data;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

/**
 * Translates SQL failures into problem responses; install {@link #translate(Throwable)} as a translator of the errors
 * filter. {@link Database#execute} and {@link Database#transaction} apply it themselves.
 * <p>
 * The cause chain (and each {@link SQLException#getNextException() next exception}) is searched for the first
 * {@link SQLException} whose SQLState (PostgreSQL and H2 share the standard ones) is known:
 * <table>
 * <caption>Mapping</caption>
 * <tr><th>SQL failure</th><th>answer</th></tr>
 * <tr><td>23505 unique violation</td><td>409 CONFLICT</td></tr>
 * <tr><td>23503 / H2 23506 foreign key violation</td><td>409 CONFLICT (the change conflicts with a related row)</td></tr>
 * <tr><td>23514 / H2 23513 check violation, 23502 not null, 22001 too long, 22003 out of range, 22007 / 22018 /
 *     22P02 bad value</td><td>400 VALIDATION_FAILED: the request carried a value the schema rejects; the service should
 *     have validated it, but it is still the client's value, so it is not a 409 (nothing conflicts) nor a 500</td></tr>
 * <tr><td>40001 serialization / H2 deadlock, 40P01 deadlock, 55P03 lock not available, 57014 statement canceled or
 *     timed out, H2 HYT00 (50200) lock timeout, H2 90131 concurrent update</td><td>503 with {@code Retry-After: 1}</td></tr>
 * <tr><td>class 08 connection exceptions, 57P01..57P03 shutdown, 53300 too many connections, 28000 / 28P01
 *     rejected credentials (the service's own password, e.g. during a rotation),
 *     {@link SQLTransientException} (Hikari pool timeout, driver timeouts)</td><td>503 with {@code Retry-After: 2}</td></tr>
 * </table>
 * Anything else is not translated, so the errors filter answers 500 and logs it. Details never carry SQL, table or
 * constraint names; the returned exception keeps the original failure as its {@link Throwable#getCause() cause}.
 */
public final class DataErrors {
    /** Detail of a unique-key violation. */
    public static final String DUPLICATE_DETAIL = "A resource with the same unique key already exists";
    /** Detail of a foreign-key violation. */
    public static final String REFERENCE_DETAIL =
            "The change conflicts with a related resource that is missing or still refers to it";
    /** Detail of a check, not-null or data-format violation. */
    public static final String CONSTRAINT_DETAIL = "A value is not allowed by the data constraints";
    /** Detail of lock contention, deadlocks, serialization failures and statement timeouts. */
    public static final String BUSY_DETAIL = "The database is busy; retry shortly";
    /** Detail of a database that cannot be reached. */
    public static final String UNAVAILABLE_DETAIL = "The database is temporarily unavailable";

    static final Duration CONTENTION_RETRY_AFTER = Duration.ofSeconds(1);
    static final Duration OUTAGE_RETRY_AFTER = Duration.ofSeconds(2);

    private static final Set<String> CONFLICT_STATES = Set.of("23503", "23506");
    private static final Set<String> CONSTRAINT_STATES = Set.of("23502", "23513", "23514", "22001", "22003", "22007",
                                                                  "22018", "22P02");
    private static final Set<String> CONTENTION_STATES = Set.of("40001", "40P01", "55P03", "57014", "HYT00", "90131");
    private static final Set<String> OUTAGE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "28000", "28P01");
    private static final int H2_LOCK_TIMEOUT = 50200;
    private static final int MAX_DEPTH = 32;

    private DataErrors() {
    }

    /**
     * Translate a failure whose cause chain holds a known SQL failure.
     *
     * @param failure any failure, typically a {@code DbClientException} / {@code DbStatementException}
     * @return the problem to answer with; empty when the failure is not a known SQL failure (or already an
     *         {@link ApiException})
     */
    public static Optional<ApiException> translate(Throwable failure) {
        if (failure instanceof ApiException) {
            return Optional.empty();
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH && seen.add(current); depth++) {
            if (current instanceof SQLException sql) {
                Optional<ApiException> translated = translateChain(sql, failure);
                if (translated.isPresent()) {
                    return translated;
                }
            }
            current = current.getCause();
        }
        return Optional.empty();
    }

    private static Optional<ApiException> translateChain(SQLException first, Throwable failure) {
        SQLException sql = first;
        for (int depth = 0; sql != null && depth < MAX_DEPTH; depth++) {
            Optional<ApiException> translated = translateOne(sql, failure);
            if (translated.isPresent()) {
                return translated;
            }
            SQLException next = sql.getNextException();
            sql = next == sql ? null : next;
        }
        return Optional.empty();
    }

    private static Optional<ApiException> translateOne(SQLException sql, Throwable failure) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState().toUpperCase(java.util.Locale.ROOT);
        if (state.equals("23505")) {
            return Optional.of(new TranslatedException(ErrorCode.CONFLICT, DUPLICATE_DETAIL, Map.of(), failure));
        }
        if (CONFLICT_STATES.contains(state)) {
            return Optional.of(new TranslatedException(ErrorCode.CONFLICT, REFERENCE_DETAIL, Map.of(), failure));
        }
        if (CONSTRAINT_STATES.contains(state)) {
            return Optional.of(new TranslatedException(ErrorCode.VALIDATION_FAILED, CONSTRAINT_DETAIL, Map.of(), failure));
        }
        if (CONTENTION_STATES.contains(state) || sql.getErrorCode() == H2_LOCK_TIMEOUT && state.startsWith("HY")) {
            return Optional.of(unavailable(BUSY_DETAIL, CONTENTION_RETRY_AFTER, failure));
        }
        if (state.startsWith("08") || OUTAGE_STATES.contains(state) || sql instanceof SQLTransientException) {
            return Optional.of(unavailable(UNAVAILABLE_DETAIL, OUTAGE_RETRY_AFTER, failure));
        }
        return Optional.empty();
    }

    static ApiException unavailable(String detail, Duration retryAfter, Throwable failure) {
        return new TranslatedException(ErrorCode.SERVICE_UNAVAILABLE, detail,
                                       Map.of("Retry-After", Long.toString(retryAfter.toSeconds())), failure);
    }
}
