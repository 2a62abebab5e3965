package io.dharma.service;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.dharma.cache.Caches;
import io.dharma.data.Database;
import io.dharma.health.Probes;
import io.dharma.ratelimit.RateLimiting;
import io.dharma.resilience.Downstreams;
import io.dharma.secrets.Secrets;
import io.dharma.tracing.Tracing;

import io.helidon.config.Config;

import redis.clients.jedis.UnifiedJedis;

/**
 * What a service's API is built from: its name, its configuration and the shared resources the bootstrap created.
 */
public final class ServiceContext {
    private final String name;
    private final Config config;
    private final Probes probes;
    private final Secrets secrets;
    private final Optional<Database> database;
    private final RateLimiting rateLimiting;
    private final Tracing tracing;
    private final Downstreams downstreams;
    private final Caches caches;
    private final Optional<UnifiedJedis> redis;
    private final AtomicBoolean closed = new AtomicBoolean();

    ServiceContext(String name, Config config, Probes probes, Secrets secrets, Optional<Database> database,
                   RateLimiting rateLimiting, Tracing tracing, Downstreams downstreams, Caches caches,
                   Optional<UnifiedJedis> redis) {
        this.name = name;
        this.config = config;
        this.probes = probes;
        this.secrets = secrets;
        this.database = database;
        this.rateLimiting = rateLimiting;
        this.tracing = tracing;
        this.downstreams = downstreams;
        this.caches = caches;
        this.redis = redis;
    }

    /**
     * Service name, e.g. {@code blueprint-service}.
     *
     * @return name
     */
    public String name() {
        return name;
    }

    /**
     * Root configuration.
     *
     * @return config
     */
    public Config config() {
        return config;
    }

    /**
     * The service's probes; add checks for the dependencies the service owns.
     *
     * @return probes
     */
    public Probes probes() {
        return probes;
    }

    /**
     * The secret store (Vault, mounted files, environment; refreshed periodically, values redacted from logs).
     *
     * @return secrets
     */
    public Secrets secrets() {
        return secrets;
    }

    /**
     * The database (embedded H2 unless {@code db.url} is set).
     *
     * @return database
     * @throws IllegalStateException if {@code db.enabled} is false
     */
    public Database database() {
        return database.orElseThrow(() -> new IllegalStateException("db.enabled is false for " + name));
    }

    /**
     * The other services this one calls, each behind timeout, retry, circuit breaker and bulkhead
     * ({@code resilience.downstreams}).
     *
     * @return downstreams
     */
    public Downstreams downstreams() {
        return downstreams;
    }

    /**
     * The two-level caches ({@code cache}): L1 in process, L2 in the service's Redis when {@code redis.url} is set,
     * invalidated on every instance.
     *
     * @return caches
     */
    public Caches caches() {
        return caches;
    }

    /**
     * The service's shared Redis client ({@code redis.url}), if it has one.
     *
     * @return client
     */
    public Optional<UnifiedJedis> redis() {
        return redis;
    }

    Optional<Database> optionalDatabase() {
        return database;
    }

    RateLimiting rateLimiting() {
        return rateLimiting;
    }

    Tracing tracing() {
        return tracing;
    }

    /**
     * Close every resource once, whatever called it first (a failed start, {@code stop()}, the shutdown hook): the
     * database pool, secret refresh, limiter, caches, the shared Redis client, then tracing (which flushes last).
     */
    void close() {
        if (closed.compareAndSet(false, true)) {
            database.ifPresent(Database::close);
            secrets.close();
            rateLimiting.close();
            caches.close();
            if (redis.isPresent()) {
                // not a method reference: its type would load Jedis in a service without Redis
                redis.get().close();
            }
            tracing.close();
        }
    }
}
