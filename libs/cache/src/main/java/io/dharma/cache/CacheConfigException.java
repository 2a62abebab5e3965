package io.dharma.cache;

/**
 * An invalid value under {@code cache}; thrown at start-up.
 */
public final class CacheConfigException extends CacheException {
    CacheConfigException(String message) {
        super(message);
    }

    CacheConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
