package io.dharma.cache;

/**
 * Base of the failures of the cache library: invalid configuration ({@link CacheConfigException}) or a call it cannot
 * serve ({@link CacheUsageException}). Redis being slow or down is never an exception: the cache degrades and the
 * loader answers.
 */
public abstract class CacheException extends RuntimeException {
    CacheException(String message) {
        super(message);
    }

    CacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
