package io.dharma.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.dharma.cache.Invalidation.Kind;
import io.dharma.redis.RedisUnavailable;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-through cache: L1 ({@link NearCache}), then L2 ({@link RedisEntries}), then the loader, with single flight
 * per key in this instance and a Redis lease across instances. Every Redis failure degrades the call to L1 and the
 * loader; none reaches the caller.
 *
 * @param <V> value type
 */
final class CacheImpl<V> implements Cache<V> {
    /** Interval at which an instance without the lease looks for the loading instance's value. */
    static final Duration POLL = Duration.ofMillis(10);
    private static final Logger LOG = LoggerFactory.getLogger(CacheImpl.class);

    // configuration
    private final String name;
    private final Codec<V> codec;
    private final CacheConfig settings;
    private final boolean enabled;
    private final Node node;
    private final Optional<RedisEntries> remote;
    // runtime
    private final CacheMetrics metrics;
    private final NearCache<V> near;
    private final SingleFlight<Optional<V>> flights = new SingleFlight<>();

    CacheImpl(String name, Codec<V> codec, Node node) {
        this.name = name;
        this.codec = codec;
        this.node = node;
        this.settings = node.config().cache(name);
        this.enabled = node.config().enabled() && settings.enabled();
        this.remote = node.redis().map(r -> new RedisEntries(r, node.config().keyPrefix(), name, node.origin(), settings));
        this.metrics = new CacheMetrics(name);
        this.near = new NearCache<>(settings.l1MaxSize(), settings.l1Ttl(), NearCache.MAX_RECORDS, node.ticker(),
                                    node::epoch);
        metrics.bindL1(near.store());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<V> get(String key, Supplier<Loaded<V>> loader) {
        Checks.key(key);
        Objects.requireNonNull(loader, "loader");
        if (!enabled) {
            return load(loader).value();
        }
        if (l1()) {
            Optional<Entry<V>> hit = near.get(key);
            if (hit.isPresent()) {
                metrics.hitsL1.increment();
                return hit.get().optional();
            }
            metrics.missesL1.increment();
        }
        return flights.run(key, () -> fetch(key, loader));
    }

    @Override
    public void put(String key, V value, Set<String> tags) {
        Checks.key(key);
        Objects.requireNonNull(value, "value");
        Set<String> checked = settings.tags() ? Checks.tags(tags) : Set.of();
        if (!enabled) {
            invalidate(key);
            return;
        }
        byte[] payload = codec.encode(value);
        long epoch = node.epoch();
        if (remote.isPresent()) {
            if (node.redisUp()) {
                try {
                    long version = remote.get().put(key, payload, checked, l2TtlMillis());
                    metrics.sent.increment();
                    near.invalidated(Kind.KEY, key, version);
                    fillL1(key, value, checked, version, epoch, false);
                    return;
                } catch (RedisUnavailable e) {
                    // degrade below
                }
            }
            metrics.degraded.increment();
            remote.get().pending(Kind.KEY, key);
        }
        long version = near.nextVersion();
        near.invalidated(Kind.KEY, key, version);
        fillL1(key, value, checked, version, epoch, remote.isPresent());
    }

    @Override
    public void invalidate(String key) {
        invalidate(Kind.KEY, Checks.key(key));
    }

    @Override
    public void invalidateTag(String tag) {
        Checks.tag(tag);
        if (settings.tags()) {
            invalidate(Kind.TAG, tag);
        } else {
            invalidate(Kind.ALL, "");
        }
    }

    @Override
    public void invalidateAll() {
        invalidate(Kind.ALL, "");
    }

    @Override
    public String toString() {
        return "Cache[" + name + "]";
    }

    Codec<V> codec() {
        return codec;
    }

    CacheMetrics metrics() {
        return metrics;
    }

    NearCache<V> near() {
        return near;
    }

    /** An invalidation from another instance. */
    void received(Invalidation invalidation) {
        near.invalidated(invalidation.kind(), invalidation.subject(), invalidation.version());
        metrics.received.increment();
    }

    /** The node started a new epoch. */
    void reset() {
        near.reset();
    }

    private Optional<V> fetch(String key, Supplier<Loaded<V>> loader) {
        long epoch = node.epoch();
        if (l1()) {
            Optional<Entry<V>> hit = near.get(key);
            if (hit.isPresent()) {
                // filled by the flight that ended just before this one started
                return hit.get().optional();
            }
        }
        if (remote.isPresent()) {
            if (node.redisUp()) {
                try {
                    return fromRedis(remote.get(), key, loader, epoch);
                } catch (RedisUnavailable e) {
                    // Redis failed before the load: load without it
                }
            }
            metrics.degraded.increment();
        }
        long version = near.version();
        Loaded<V> loaded = load(loader);
        fillL1(key, loaded.orNull(), loaded.tags(), version, epoch, remote.isPresent());
        return loaded.value();
    }

    private Optional<V> fromRedis(RedisEntries l2, String key, Supplier<Loaded<V>> loader, long epoch) {
        long deadline = System.nanoTime() + settings.leaseWait().toNanos();
        RedisEntries.Read read = l2.read(key, node.origin(), settings.leaseTtl(), settings.refreshAhead());
        near.observe(read.seq());
        if (!read.hit()) {
            metrics.missesL2.increment();
        }
        // another instance holds the lease: wait a bounded time for its value
        while (!read.hit() && !read.leased() && System.nanoTime() - deadline < 0 && pause()) {
            read = l2.read(key, node.origin(), settings.leaseTtl(), settings.refreshAhead());
            near.observe(read.seq());
        }
        if (read.hit()) {
            Optional<Loaded<V>> found = decode(read);
            if (found.isPresent()) {
                metrics.hitsL2.increment();
                fillL1(key, found.get().orNull(), read.tags(), read.seq(), epoch, false);
                if (read.leased()) {
                    refresh(l2, key, loader, read);
                }
                return found.get().value();
            }
        }
        Loaded<V> loaded;
        try {
            loaded = load(loader);
        } catch (RuntimeException | Error e) {
            release(l2, key, read);
            throw e;
        }
        store(l2, key, read, loaded, epoch);
        return loaded.value();
    }

    /** Reload an entry close to expiry in the background; this instance took the lease for it. */
    private void refresh(RedisEntries l2, String key, Supplier<Loaded<V>> loader, RedisEntries.Read read) {
        long epoch = node.epoch();
        Thread.ofVirtual().name("dharma-cache-refresh").start(() -> {
            metrics.refreshes.increment();
            Loaded<V> loaded;
            try {
                loaded = load(loader);
            } catch (RuntimeException | Error e) {
                release(l2, key, read);
                LOG.warn("Cache '{}': background refresh failed, the entry expires as usual ({})", name, e.toString());
                return;
            }
            store(l2, key, read, loaded, epoch);
        });
    }

    private void store(RedisEntries l2, String key, RedisEntries.Read read, Loaded<V> loaded, long epoch) {
        V value = loaded.orNull();
        byte[] payload;
        try {
            payload = value == null ? new byte[0] : codec.encode(value);
        } catch (RuntimeException e) {
            LOG.warn("Cache '{}': cannot encode a loaded value, it is not cached ({})", name, e.toString());
            release(l2, key, read);
            return;
        }
        long ttl = value == null ? settings.negativeTtl().toMillis() : l2TtlMillis();
        try {
            switch (l2.fill(key, node.origin(), read, value == null, payload, loaded.tags(), ttl)) {
            case STORED -> fillL1(key, value, loaded.tags(), read.seq(), epoch, false);
            case STALE -> metrics.staleL2.increment();
            case SKIPPED -> {
                // absent results are not cached
            }
            }
        } catch (RedisUnavailable e) {
            metrics.degraded.increment();
            fillL1(key, value, loaded.tags(), read.seq(), epoch, true);
        }
    }

    private void release(RedisEntries l2, String key, RedisEntries.Read read) {
        if (read.leased()) {
            try {
                l2.fill(key, node.origin(), read, true, new byte[0], Set.of(), 0);
            } catch (RedisUnavailable e) {
                // the lease expires by itself
            }
        }
    }

    private Optional<Loaded<V>> decode(RedisEntries.Read read) {
        if (read.absent()) {
            return Optional.of(Loaded.of(null, read.tags()));
        }
        try {
            return Optional.of(Loaded.of(codec.decode(read.payload()), read.tags()));
        } catch (RuntimeException e) {
            LOG.warn("Cache '{}': cannot decode a value from Redis, loading it again ({})", name, e.toString());
            return Optional.empty();
        }
    }

    private Loaded<V> load(Supplier<Loaded<V>> loader) {
        long start = System.nanoTime();
        Loaded<V> loaded;
        try {
            loaded = loader.get();
        } catch (RuntimeException | Error e) {
            metrics.loadTime.record(Duration.ofNanos(System.nanoTime() - start));
            metrics.loadFailures.increment();
            throw e;
        }
        metrics.loadTime.record(Duration.ofNanos(System.nanoTime() - start));
        if (loaded == null) {
            metrics.loadFailures.increment();
            throw new CacheUsageException("Cache '" + name + "': the loader returned null; return Loaded.absent() for nothing");
        }
        metrics.loads.increment();
        return settings.tags() ? loaded : loaded.withoutTags();
    }

    private void fillL1(String key, @Nullable V value, Set<String> tags, long version, long epoch, boolean degraded) {
        if (!l1()) {
            return;
        }
        Duration ttl = settings.l1Ttl();
        if (degraded && node.config().degradedTtl().compareTo(ttl) < 0) {
            ttl = node.config().degradedTtl();
        }
        if (value == null && settings.negativeTtl().compareTo(ttl) < 0) {
            ttl = settings.negativeTtl();
        }
        if (!ttl.isZero() && !near.fill(key, new Entry<>(value, version, tags, epoch, ttl.toNanos()))) {
            metrics.staleL1.increment();
        }
    }

    private void invalidate(Kind kind, String subject) {
        if (remote.isPresent()) {
            if (node.redisUp()) {
                try {
                    long version = remote.get().invalidate(kind, subject);
                    metrics.sent.increment();
                    near.invalidated(kind, subject, version);
                    return;
                } catch (RedisUnavailable e) {
                    // degrade below
                }
            }
            metrics.degraded.increment();
            remote.get().pending(kind, subject);
        }
        near.invalidated(kind, subject, near.nextVersion());
    }

    private boolean l1() {
        return settings.l1MaxSize() > 0 && node.l1Usable();
    }

    private long l2TtlMillis() {
        long jitter = settings.l2Jitter().toMillis();
        long random = jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1);
        return settings.l2Ttl().toMillis() + random;
    }

    private static boolean pause() {
        try {
            Thread.sleep(POLL);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
