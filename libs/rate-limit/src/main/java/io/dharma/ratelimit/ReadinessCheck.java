package io.dharma.ratelimit;

import java.time.Duration;
import java.util.Optional;

import io.dharma.redis.RedisHealth;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness {@code rate-limit}: always UP (fail-open keeps serving; fail-closed policies answer 503 themselves), with
 * {@code backend} ({@code redis} / {@code in-process}), {@code state} ({@code ok} / {@code degraded}) and, while
 * degraded, the reason and how long it has lasted. It reads state only and never calls Redis.
 */
final class ReadinessCheck implements HealthCheck {
    private final Optional<RedisRateLimiter> redis;

    ReadinessCheck(Optional<RedisRateLimiter> redis) {
        this.redis = redis;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().status(HealthCheckResponse.Status.UP);
        if (redis.isEmpty()) {
            return response.detail("backend", "in-process").detail("state", "ok").build();
        }
        Optional<RedisHealth.Outage> outage = redis.get().health().outage();
        response.detail("backend", "redis").detail("fallbackDecisions", redis.get().fallbackCount());
        if (outage.isEmpty()) {
            return response.detail("state", "ok").build();
        }
        return response.detail("state", "degraded")
                .detail("reason", outage.get().reason())
                .detail("degradedFor", Duration.ofNanos(System.nanoTime() - outage.get().since()).toString())
                .build();
    }
}
