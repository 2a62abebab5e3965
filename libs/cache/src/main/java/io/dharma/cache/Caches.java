package io.dharma.cache;

import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;

import com.github.benmanes.caffeine.cache.Ticker;
import redis.clients.jedis.UnifiedJedis;

/**
 * Entry point of the cache library: the named caches of one service instance, over the service's shared Redis client
 * (or in process only when it has none), with the readiness check.
 * <pre>{@code
 * Caches caches = Caches.create(config.get("cache"), redis);          // redis: Optional<UnifiedJedis>
 * Cache<Blueprint> blueprints = caches.cache("blueprints", Blueprint.class);   // JSON in Redis
 * Optional<Blueprint> b = blueprints.get(id, () -> repository.find(id)
 *         .map(found -> Loaded.value(found, CacheKey.of("owner").with(found.owner()).text()))
 *         .orElseGet(Loaded::absent));
 * blueprints.invalidate(id);                                           // after a committed write
 * probes.add(caches.readinessCheck());
 * // on shutdown: caches.close()  (the Redis client is the caller's and stays open)
 * }</pre>
 * With Redis, the invalidation subscription holds one connection of the client's pool for the instance's lifetime.
 */
public final class Caches implements AutoCloseable {
    /** How long {@code create} waits for the invalidation subscription, so L1 is in use from the first request. */
    public static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(1);

    private final Node node;

    private Caches(Node node) {
        this.node = node;
    }

    /**
     * Caches from the {@code cache} node.
     *
     * @param node  the {@code cache} config node (may be missing: everything defaults)
     * @param redis the service's shared Redis client, if it has one; empty: L1 only
     * @return caches
     */
    public static Caches create(Config node, Optional<? extends UnifiedJedis> redis) {
        return create(CachesConfig.create(node), redis);
    }

    /**
     * Caches from a configuration.
     *
     * @param config configuration
     * @param redis  the service's shared Redis client, if it has one; empty: L1 only
     * @return caches
     */
    public static Caches create(CachesConfig config, Optional<? extends UnifiedJedis> redis) {
        return create(config, redis, Ticker.systemTicker());
    }

    static Caches create(CachesConfig config, Optional<? extends UnifiedJedis> redis, Ticker ticker) {
        Node node = new Node(config, redis, ticker);
        node.start(SUBSCRIBE_WAIT);
        return new Caches(node);
    }

    /**
     * The cache of a name, created on first use with its settings from {@code cache.caches.<name>}.
     *
     * @param name  cache name (1-64 characters of {@code [A-Za-z0-9._-]})
     * @param codec how its values are stored in Redis
     * @param <V>   value type
     * @return the cache
     * @throws CacheException if the name is already in use with a different codec
     */
    public <V> Cache<V> cache(String name, Codec<V> codec) {
        CacheImpl<?> cache = node.caches().computeIfAbsent(Checks.name(name), n -> new CacheImpl<>(n, codec, node));
        if (!cache.codec().equals(codec)) {
            throw new CacheUsageException("Cache '" + name + "' is already in use with another codec");
        }
        @SuppressWarnings("unchecked")
        Cache<V> typed = (Cache<V>) cache;
        return typed;
    }

    /**
     * The cache of a name with the default codec, JSON ({@link Codec#json(Class)}).
     *
     * @param name cache name (1-64 characters of {@code [A-Za-z0-9._-]})
     * @param type value type (a public record or bean)
     * @param <V>  value type
     * @return the cache
     * @throws CacheException if the name is already in use with a different codec
     */
    public <V> Cache<V> cache(String name, Class<V> type) {
        return cache(name, Codec.json(type));
    }

    /**
     * Readiness check {@code cache}: always UP (a cache without Redis still answers), with {@code state: degraded}
     * while Redis is configured but unavailable or the invalidation subscription is down.
     *
     * @return health check
     */
    public HealthCheck readinessCheck() {
        return new ReadinessCheck(node);
    }

    /**
     * Whether Redis is configured but unavailable, or the invalidation subscription is down.
     *
     * @return true while degraded
     */
    public boolean degraded() {
        return node.degraded();
    }

    /**
     * The configuration in use.
     *
     * @return configuration
     */
    public CachesConfig config() {
        return node.config();
    }

    /** Stop the subscription and background work; the Redis client is left open. */
    @Override
    public void close() {
        node.close();
    }

    Node node() {
        return node;
    }

    <V> CacheImpl<V> impl(Cache<V> cache) {
        return (CacheImpl<V>) cache;
    }
}
