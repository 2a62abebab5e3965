package io.dharma.resilience;

import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness {@code downstream-<name>}: non-critical, so always UP; {@code state} is {@code degraded} while the
 * downstream's circuit breaker is not closed, {@code ok} otherwise, and {@code breaker} names the breaker state.
 * The service stays ready: it can still answer what does not need the downstream. It reads state only and never
 * calls the downstream.
 */
final class ReadinessCheck implements HealthCheck {
    private final String name;
    private final BreakerWatch watch;

    ReadinessCheck(String downstream, BreakerWatch watch) {
        this.name = "downstream-" + downstream;
        this.watch = watch;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public HealthCheckResponse call() {
        CircuitBreaker.State state = watch.observe();
        return HealthCheckResponse.builder()
                .status(HealthCheckResponse.Status.UP)
                .detail("state", state == CircuitBreaker.State.CLOSED ? "ok" : "degraded")
                .detail("breaker", ResilienceMetrics.stateTag(state))
                .build();
    }
}
