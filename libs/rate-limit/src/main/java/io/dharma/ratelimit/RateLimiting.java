package io.dharma.ratelimit;

import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;

import io.dharma.redis.RedisAuth;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;

import redis.clients.jedis.UnifiedJedis;

/**
 * Entry point of the rate-limit library: the two filters and the readiness check over one
 * limiter (Redis with in-process fallback when Redis is configured, else in-process).
 * <pre>{@code
 * RateLimiting limits = RateLimiting.create(config.get("rate-limit"), Optional.empty());
 * routing.addFilter(correlation).addFilter(headers).addFilter(cors)
 *        .addFilter(limits.ipFilter())                 // before authentication
 *        .addFilter(authentication)
 *        .addFilter(limits.userFilter(callers))        // after authentication
 *        .error(Throwable.class, Errors.errorHandler(...));
 * probes.add(limits.readinessCheck());
 * }</pre>
 */
public final class RateLimiting implements AutoCloseable {
    /** Connections of a client created from {@code rate-limit.redis.url}. */
    public static final int POOL_SIZE = 64;

    private final RateLimitConfig config;
    private final RateLimiter limiter;
    private final Optional<RedisRateLimiter> redis;
    private final RateLimitMetrics metrics;

    private RateLimiting(RateLimitConfig config, RateLimiter limiter, Optional<RedisRateLimiter> redis,
                         RateLimitMetrics metrics) {
        this.config = config;
        this.limiter = limiter;
        this.redis = redis;
        this.metrics = metrics;
    }

    /**
     * Rate limiting from the {@code rate-limit} node.
     *
     * @param node   the {@code rate-limit} config node
     * @param shared the service's shared Redis client, if it has one (it wins over {@code rate-limit.redis.url}, and
     *               is not closed by {@link #close()})
     * @return rate limiting
     */
    public static RateLimiting create(Config node, Optional<? extends UnifiedJedis> shared) {
        return create(RateLimitConfig.create(node), shared, InstantSource.system());
    }

    /**
     * Rate limiting from a configuration, with the time source of the in-process backend.
     *
     * @param config configuration
     * @param shared shared Redis client, if any
     * @param clock  time source of the in-process backend (Redis uses its own {@code TIME})
     * @return rate limiting
     */
    public static RateLimiting create(RateLimitConfig config, Optional<? extends UnifiedJedis> shared, InstantSource clock) {
        return create(config, shared, clock, RedisAuth.url());
    }

    /**
     * Rate limiting from a configuration, with the credentials its own Redis client (built from the Redis URL when no
     * shared client is given) authenticates with, read again for each new connection so a rotated password is used.
     *
     * @param config configuration
     * @param shared shared Redis client, if any
     * @param clock  time source of the in-process backend
     * @param auth   credentials of the limiter's own client ({@link RedisAuth#url()}: those of the URL)
     * @return rate limiting
     */
    public static RateLimiting create(RateLimitConfig config, Optional<? extends UnifiedJedis> shared, InstantSource clock,
                                      RedisAuth auth) {
        RateLimitMetrics metrics = new RateLimitMetrics();
        LocalRateLimiter local = new LocalRateLimiter(clock, LocalRateLimiter.DEFAULT_MAX_KEYS);
        if (shared.isEmpty() && config.redisUrl().isEmpty()) {
            // no Jedis type in this class's code: verifying it would load Jedis in a service without Redis
            return new RateLimiting(config, local, Optional.empty(), metrics);
        }
        RedisRateLimiter redis = RedisRateLimiter.create(shared, config, local, metrics, auth);
        return new RateLimiting(config, redis, Optional.of(redis), metrics);
    }

    /**
     * Filter for the policies that need no authenticated caller (per IP); install it before authentication.
     *
     * @return filter
     */
    public Filter ipFilter() {
        return new RateLimitFilter(false, config, limiter, metrics, req -> Optional.empty());
    }

    /**
     * Filter for the policies keyed by user or tier, and the route policies; install it after authentication.
     *
     * @param callers the authenticated caller of a request, empty for an anonymous one (then keyed by address)
     * @return filter
     */
    public Filter userFilter(Function<ServerRequest, Optional<Caller>> callers) {
        return new RateLimitFilter(true, config, limiter, metrics, callers);
    }

    /**
     * Readiness check {@code rate-limit}: UP, with {@code state: degraded} while Redis is unavailable.
     *
     * @return health check
     */
    public HealthCheck readinessCheck() {
        return new ReadinessCheck(redis);
    }

    /**
     * The limiter behind the filters, for code that limits something other than HTTP requests.
     *
     * @return limiter
     */
    public RateLimiter limiter() {
        return limiter;
    }

    /**
     * The configuration in use.
     *
     * @return configuration
     */
    public RateLimitConfig config() {
        return config;
    }

    /**
     * Whether decisions currently fall back because Redis is unavailable.
     *
     * @return true while degraded
     */
    public boolean degraded() {
        return redis.map(r -> !r.health().up()).orElse(false);
    }

    /** Close the Redis client if it was created from {@code rate-limit.redis.url}. */
    @Override
    public void close() {
        limiter.close();
    }

}
