package io.dharma.cache;

import java.time.Duration;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness {@code cache}: always UP, with {@code backend} ({@code redis} / {@code in-process}), {@code state}
 * ({@code ok} / {@code degraded}), {@code redis} ({@code ok} / {@code down}), {@code subscription} ({@code up} /
 * {@code down}) and, while degraded, the reason, how long Redis has been down and the invalidations waiting for it.
 * It reads state only and never calls Redis.
 */
final class ReadinessCheck implements HealthCheck {
    private final Node node;

    ReadinessCheck(Node node) {
        this.node = node;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().status(HealthCheckResponse.Status.UP);
        if (node.redis().isEmpty()) {
            return response.detail("backend", "in-process").detail("state", "ok").build();
        }
        RedisBackend redis = node.redis().get();
        boolean subscribed = node.subscriber().map(Subscriber::up).orElse(false);
        response.detail("backend", "redis")
                .detail("state", node.degraded() ? "degraded" : "ok")
                .detail("redis", redis.up() ? "ok" : "down")
                .detail("subscription", subscribed ? "up" : "down");
        redis.outage().ifPresent(o -> response
                .detail("reason", o.reason())
                .detail("degradedFor", Duration.ofNanos(System.nanoTime() - o.since()).toString())
                .detail("pendingInvalidations", redis.pendingCount()));
        if (!subscribed) {
            node.subscriber().ifPresent(s -> response.detail("subscriptionReason", s.reason()));
        }
        return response.build();
    }
}
