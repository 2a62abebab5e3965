package io.dharma.ratelimit;

/**
 * An invalid value under {@code rate-limit}; thrown at start-up.
 */
public final class RateLimitConfigException extends RateLimitException {
    RateLimitConfigException(String message) {
        super(message);
    }

    RateLimitConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
