package io.dharma.data;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * Readiness: {@code SELECT 1} on a pooled connection, answered within {@code db.health.timeout} even when the
 * database hangs (the probe runs on its own virtual thread and is abandoned on timeout). The probe takes a permit of
 * the same fair concurrency limit as every request before it touches the pool, so probes never hold more connections
 * than {@code db.max-concurrency} allows: a busy database still hands a permit over within the timeout, a stuck one
 * (every permit held longer than the timeout) is reported DOWN, as requests then get 503. Details carry no
 * connection strings or messages.
 */
final class ReadinessCheck implements HealthCheck {
    private final HikariDataSource dataSource;
    private final Semaphore permits;
    private final String vendor;
    private final Duration timeout;

    ReadinessCheck(HikariDataSource dataSource, Semaphore permits, String vendor, Duration timeout) {
        this.dataSource = dataSource;
        this.permits = permits;
        this.vendor = vendor;
        this.timeout = timeout;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "db";
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().detail("vendor", vendor);
        FutureTask<Void> probe = new FutureTask<>(this::probe, null);
        Thread.ofVirtual().name("db-readiness").start(probe);
        try {
            probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            response.status(HealthCheckResponse.Status.UP);
        } catch (TimeoutException e) {
            probe.cancel(true);
            response.status(HealthCheckResponse.Status.DOWN).detail("error", "timeout after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NoPermit) {
                response.status(HealthCheckResponse.Status.DOWN).detail("error", "no database permit within "
                        + timeout.toMillis() + " ms");
                poolDetails(response);
                return response.build();
            }
            response.status(HealthCheckResponse.Status.DOWN).detail("error", describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            probe.cancel(true);
            response.status(HealthCheckResponse.Status.DOWN).detail("error", "interrupted");
        }
        poolDetails(response);
        return response.build();
    }

    private void probe() {
        try {
            if (!permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new NoPermit();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoPermit();
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw new ProbeFailure(e);
        } finally {
            permits.release();
        }
    }

    private void poolDetails(HealthCheckResponse.Builder response) {
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        if (pool != null && !dataSource.isClosed()) {
            response.detail("active", pool.getActiveConnections())
                    .detail("idle", pool.getIdleConnections())
                    .detail("waiting", pool.getThreadsAwaitingConnection());
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof ProbeFailure probe ? probe.getCause() : failure;
        if (cause instanceof SQLException sql && sql.getSQLState() != null) {
            return cause.getClass().getSimpleName() + " (SQLState " + sql.getSQLState() + ")";
        }
        return cause == null ? "unknown" : cause.getClass().getSimpleName();
    }

    /** Every permit stayed taken for the whole timeout. */
    private static final class NoPermit extends RuntimeException {
        NoPermit() {
            super("no database permit", null, false, false);
        }
    }

    /** Carries the SQLException out of the probe's Runnable. */
    private static final class ProbeFailure extends RuntimeException {
        ProbeFailure(SQLException cause) {
            super(cause);
        }
    }
}
