package io.dharma.data;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * Readiness: {@code SELECT 1} on a pooled connection, answered within {@code db.health.timeout} even when the
 * database hangs (the probe runs on its own virtual thread and is abandoned on timeout). It bypasses the concurrency
 * limit, so a busy service is not reported as unready. Details carry no connection strings or messages.
 */
final class ReadinessCheck implements HealthCheck {
    private final HikariDataSource dataSource;
    private final String vendor;
    private final Duration timeout;

    ReadinessCheck(HikariDataSource dataSource, String vendor, Duration timeout) {
        this.dataSource = dataSource;
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
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw new ProbeFailure(e);
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

    /** Carries the SQLException out of the probe's Runnable. */
    private static final class ProbeFailure extends RuntimeException {
        ProbeFailure(SQLException cause) {
            super(cause);
        }
    }
}
