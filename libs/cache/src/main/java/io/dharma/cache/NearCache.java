package io.dharma.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * L1 of one cache: bounded Caffeine entries, and the invalidations this instance has seen, so that an entry is only
 * served while no newer invalidation of its key, of one of its tags or of the whole cache is known.
 * <p>
 * Invalidation records ({@code k:<key>}, {@code t:<tag>} to the newest version) are checked on every read and every
 * fill, so a fill that lost the race with an invalidation message is never served, whatever the order. Records live
 * for the L1 TTL plus a minute (longer than any entry they could concern, unless a load takes longer than that
 * minute; then the L2 fill check has refused it). When a record is evicted for size, the floor rises to its version:
 * every older entry stops being served, so losing a record costs hits, never correctness.
 *
 * @param <V> value type
 */
final class NearCache<V> {
    /** Most invalidation records kept per cache. */
    static final long MAX_RECORDS = 100_000;

    private final com.github.benmanes.caffeine.cache.Cache<String, Entry<V>> entries;
    private final com.github.benmanes.caffeine.cache.Cache<String, Long> records;
    private final LongSupplier epoch;
    // entries below these versions are invalid: the newest cache-wide invalidation, the newest evicted record
    private final AtomicLong all = new AtomicLong();
    private final AtomicLong floor = new AtomicLong();
    // newest version seen (Redis sequence numbers read or received; local invalidations draw from it)
    private final AtomicLong clock = new AtomicLong();

    NearCache(long maxSize, Duration ttl, long maxRecords, Ticker ticker, LongSupplier epoch) {
        this.epoch = epoch;
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(Expiry.<String, Entry<V>>writing((k, e) -> Duration.ofNanos(e.ttlNanos())))
                .ticker(ticker)
                .executor(Runnable::run)
                .recordStats() // read by Micrometer's Caffeine binder (CacheMetrics)
                .build();
        this.records = Caffeine.newBuilder()
                .maximumSize(maxRecords)
                .expireAfterWrite(ttl.plusMinutes(1))
                .ticker(ticker)
                .executor(Runnable::run)
                .evictionListener((String k, Long version, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE && version != null) {
                        floor.accumulateAndGet(version, Math::max);
                    }
                })
                .build();
    }

    /** The Caffeine store of the entries, for Micrometer's Caffeine binder. */
    com.github.benmanes.caffeine.cache.Cache<String, Entry<V>> store() {
        return entries;
    }

    /** A valid entry, or empty (an invalid one is removed). */
    Optional<Entry<V>> get(String key) {
        Entry<V> entry = entries.getIfPresent(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (valid(key, entry)) {
            return Optional.of(entry);
        }
        entries.asMap().remove(key, entry);
        return Optional.empty();
    }

    /**
     * Store an entry unless an invalidation newer than its version is known (a stale fill), and unless a valid entry
     * of a newer version is there already.
     *
     * @return false if the entry was dropped as stale
     */
    boolean fill(String key, Entry<V> entry) {
        if (!valid(key, entry)) {
            return false;
        }
        entries.asMap().merge(key, entry, (old, fresh) -> old.version() > fresh.version() && valid(key, old) ? old : fresh);
        return true;
    }

    /** Apply an invalidation at a version, from this instance or a message. */
    void invalidated(Invalidation.Kind kind, String subject, long version) {
        observe(version);
        switch (kind) {
        case KEY -> {
            records.asMap().merge("k:" + subject, version, Math::max);
            entries.asMap().computeIfPresent(subject, (k, e) -> e.version() < version ? null : e);
        }
        case TAG -> records.asMap().merge("t:" + subject, version, Math::max);
        case ALL -> {
            all.accumulateAndGet(version, Math::max);
            entries.asMap().values().removeIf(e -> e.version() < version);
        }
        }
    }

    /** Remember a sequence number read from Redis. */
    void observe(long version) {
        clock.accumulateAndGet(version, Math::max);
    }

    /** The newest version seen: the version of a value loaded without Redis. */
    long version() {
        return clock.get();
    }

    /** A version for an invalidation made without Redis, newer than everything seen. */
    long nextVersion() {
        return clock.incrementAndGet();
    }

    /** Forget entries and records: the node started a new epoch (sequence numbers may have restarted). */
    void reset() {
        entries.invalidateAll();
        records.invalidateAll();
        all.set(0);
        floor.set(0);
        clock.set(0);
    }

    long size() {
        return entries.estimatedSize();
    }

    private boolean valid(String key, Entry<V> entry) {
        long version = entry.version();
        if (entry.epoch() != epoch.getAsLong() || version < all.get() || version < floor.get()) {
            return false;
        }
        Long keyRecord = records.getIfPresent("k:" + key);
        if (keyRecord != null && version < keyRecord) {
            return false;
        }
        for (String tag : entry.tags()) {
            Long tagRecord = records.getIfPresent("t:" + tag);
            if (tagRecord != null && version < tagRecord) {
                return false;
            }
        }
        return true;
    }
}
