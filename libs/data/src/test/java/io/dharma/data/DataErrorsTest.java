package io.dharma.data;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbStatementException;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

class DataErrorsTest {
    @Test
    void uniqueViolationIsAConflictWithASafeDetail() {
        SQLException sql = new SQLException("duplicate key value violates unique constraint \"blueprints_pk\"", "23505");
        DbStatementException wrapped = new DbStatementException("Failed", "INSERT INTO blueprints ...", sql);
        ApiException e = DataErrors.translate(wrapped).orElseThrow();
        assertThat(e.code(), is(ErrorCode.CONFLICT));
        assertThat(e.detail(), is(DataErrors.DUPLICATE_DETAIL));
        assertThat(e.detail(), not(containsString("blueprints")));
        assertThat(e.getCause(), sameInstance(wrapped));
    }

    @Test
    void foreignKeyViolationsAreConflicts() {
        assertThat(code("23503"), is(Optional.of(ErrorCode.CONFLICT)));
        assertThat(code("23506"), is(Optional.of(ErrorCode.CONFLICT)));
    }

    @Test
    void checkNotNullAndBadValuesAreValidationFailures() {
        for (String state : new String[] {"23514", "23513", "23502", "22001", "22003", "22P02", "22018"}) {
            assertThat(state, code(state), is(Optional.of(ErrorCode.VALIDATION_FAILED)));
        }
    }

    @Test
    void contentionIsUnavailableWithRetryAfterOneSecond() {
        for (String state : new String[] {"40001", "40P01", "55P03", "57014", "HYT00", "90131"}) {
            ApiException e = DataErrors.translate(new SQLException("x", state)).orElseThrow();
            assertThat(state, e.code(), is(ErrorCode.SERVICE_UNAVAILABLE));
            assertThat(state, e.retryAfter(), is(Optional.of("1")));
        }
        ApiException h2LockTimeout = DataErrors.translate(new SQLException("Timeout trying to lock table", "HYT00", 50200))
                .orElseThrow();
        assertThat(h2LockTimeout.detail(), is(DataErrors.BUSY_DETAIL));
    }

    @Test
    void connectionFailuresAreUnavailableWithRetryAfterTwoSeconds() {
        for (String state : new String[] {"08001", "08006", "57P01", "53300", "28P01"}) {
            ApiException e = DataErrors.translate(new DbClientException("x", new SQLException("x", state))).orElseThrow();
            assertThat(state, e.code(), is(ErrorCode.SERVICE_UNAVAILABLE));
            assertThat(state, e.retryAfter(), is(Optional.of("2")));
        }
    }

    @Test
    void transientExceptionsWithoutStateAreUnavailable() {
        SQLTransientConnectionException poolTimeout = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 250ms.");
        assertThat(DataErrors.translate(new DbClientException("x", poolTimeout)).orElseThrow().code(),
                   is(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(DataErrors.translate(new SQLTimeoutException("timeout")).orElseThrow().code(),
                   is(ErrorCode.SERVICE_UNAVAILABLE));
    }

    @Test
    void nextExceptionOfABatchIsSearched() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", new int[0]);
        batch.setNextException(new SQLException("duplicate", "23505"));
        assertThat(DataErrors.translate(batch).orElseThrow().code(), is(ErrorCode.CONFLICT));
    }

    @Test
    void unknownSqlFailuresAndOtherExceptionsAreLeftToTheErrorsFilter() {
        assertThat(DataErrors.translate(new SQLException("syntax error", "42601")), is(Optional.empty()));
        assertThat(DataErrors.translate(new SQLException("no state")), is(Optional.empty()));
        assertThat(DataErrors.translate(new IllegalStateException("boom")), is(Optional.empty()));
        assertThat(DataErrors.translate(ApiException.notFound("gone")), is(Optional.empty()));
    }

    @Test
    void causeCyclesTerminate() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(DataErrors.translate(a), is(Optional.empty()));
    }

    private static Optional<ErrorCode> code(String state) {
        return DataErrors.translate(new DbClientException("x", new SQLException("x", state))).map(ApiException::code);
    }
}
