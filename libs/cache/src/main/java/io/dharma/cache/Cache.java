package io.dharma.cache;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One named read-through cache: L1 in process (Caffeine), L2 in Redis when the service has Redis, kept consistent
 * across instances by versioned invalidation messages. Obtain it from {@link Caches#cache(String, Codec)}.
 * Thread-safe; no method fails because Redis is slow or down.
 *
 * @param <V> value type (immutable, e.g. a record)
 */
public interface Cache<V> {
    /**
     * The cache name ({@code cache.caches.<name>}).
     *
     * @return name
     */
    String name();

    /**
     * The value of a key, from L1, else from L2, else from the loader (then stored in both layers). Concurrent
     * misses of one key in this instance call the loader once; across instances, one instance loads while the
     * others wait up to {@code lease.wait} for its value. An exception from the loader reaches every caller that
     * waited for it, and nothing is cached.
     *
     * @param key    key (1-1024 characters)
     * @param loader loads the value and names its tags; {@link Loaded#absent(String...)} for "not found"
     * @return the value, empty if the loader found nothing
     */
    Optional<V> get(String key, Supplier<Loaded<V>> loader);

    /**
     * Store a value written by this service (after the write is committed), and drop the key from every instance's
     * L1. Prefer {@link #invalidate(String)} when writes to one key may race: the last put wins in Redis, which need
     * not be the last commit.
     *
     * @param key   key
     * @param value value
     * @param tags  tags
     */
    void put(String key, V value, Set<String> tags);

    /**
     * Store a value without tags; see {@link #put(String, Object, Set)}.
     *
     * @param key   key
     * @param value value
     */
    default void put(String key, V value) {
        put(key, value, Set.of());
    }

    /**
     * Drop a key from both layers on every instance; a load that started before this call cannot store its result.
     *
     * @param key key
     */
    void invalidate(String key);

    /**
     * Drop every entry carrying a tag, from both layers on every instance, with O(1) work in Redis. With
     * {@code tags: false} this invalidates the whole cache.
     *
     * @param tag tag
     */
    void invalidateTag(String tag);

    /**
     * Drop every entry of this cache, from both layers on every instance, with O(1) work in Redis.
     */
    void invalidateAll();
}
