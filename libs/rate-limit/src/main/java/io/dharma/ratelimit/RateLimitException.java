package io.dharma.ratelimit;

/**
 * Base of the failures of the rate-limit library ({@link RateLimitConfigException}). A rejected request is not an
 * exception, it is a {@link Decision}; Redis being slow or down is a fail-open or fail-closed decision.
 */
public abstract class RateLimitException extends RuntimeException {
    RateLimitException(String message) {
        super(message);
    }

    RateLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
