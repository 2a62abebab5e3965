package io.dharma.ratelimit;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Buckets known to be over their limit until a local {@code System.nanoTime()} instant: a request for one of them is
 * denied without a round trip. Entries are only added from a Redis reply, for the earliest moment a one-unit request
 * could conform (measured from before the call was sent, so never later than the truth). Bounded: when full, expired
 * entries are dropped, and if it is still full the new entry is not remembered (the next request asks Redis).
 */
final class DenialCache {
    private final int maxSize;
    private final Map<String, Long> deniedUntil = new ConcurrentHashMap<>();

    DenialCache(int maxSize) {
        this.maxSize = maxSize;
    }

    void deny(String bucket, long untilNanos) {
        if (maxSize == 0) {
            return;
        }
        if (deniedUntil.size() >= maxSize) {
            long now = System.nanoTime();
            deniedUntil.entrySet().removeIf(e -> e.getValue() - now <= 0);
            if (deniedUntil.size() >= maxSize) {
                return;
            }
        }
        deniedUntil.merge(bucket, untilNanos, (a, b) -> a - b > 0 ? a : b);
    }

    /** Nanoseconds the bucket stays denied, if it is denied at {@code now}. */
    Optional<Long> remaining(String bucket, long now) {
        Long until = deniedUntil.get(bucket);
        if (until == null) {
            return Optional.empty();
        }
        long left = until - now;
        if (left <= 0) {
            deniedUntil.remove(bucket, until);
            return Optional.empty();
        }
        return Optional.of(left);
    }

    int size() {
        return deniedUntil.size();
    }
}
