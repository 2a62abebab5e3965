package io.dharma.cache;

/**
 * Failures of the cache library that are a programming or configuration error: invalid configuration, a key or tag
 * that cannot be stored, a loader that returned {@code null}, one cache name used with two codecs. Redis being slow
 * or down is never an exception: the cache degrades and the loader answers.
 */
public class CacheException extends RuntimeException {
    CacheException(String message) {
        super(message);
    }

    CacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
