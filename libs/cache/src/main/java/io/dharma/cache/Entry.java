package io.dharma.cache;

import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * An L1 entry. {@code version} is the cache's sequence number when the value was read from Redis (or written): an
 * invalidation with a higher number happened later and makes the entry invalid; one with a lower or equal number was
 * already reflected in the value. {@code epoch} is the node's epoch at the start of the read: entries of an older
 * epoch (before the subscription was lost or re-established) are never served.
 *
 * @param value    the value, {@code null} for a negative entry
 * @param version  sequence number the value is valid at
 * @param tags     tags
 * @param epoch    node epoch when the read started
 * @param ttlNanos time to live in L1
 * @param <V>      value type
 */
record Entry<V>(@Nullable V value, long version, Set<String> tags, long epoch, long ttlNanos) {
    Optional<V> optional() {
        return Optional.ofNullable(value);
    }
}
