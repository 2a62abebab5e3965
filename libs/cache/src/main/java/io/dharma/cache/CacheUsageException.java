package io.dharma.cache;

/**
 * A call the cache cannot serve: a key or tag that cannot be stored, a loader that returned {@code null}, one
 * cache name used with two codecs.
 */
public final class CacheUsageException extends CacheException {
    CacheUsageException(String message) {
        super(message);
    }
}
