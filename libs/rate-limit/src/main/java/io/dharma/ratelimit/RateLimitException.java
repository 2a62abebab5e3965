package io.dharma.ratelimit;

/**
 * Failures of the rate-limit library that are not a decision: invalid configuration, a Redis reply of the wrong shape.
 * A rejected request is not an exception, it is a {@link Decision}.
 */
public class RateLimitException extends RuntimeException {
    RateLimitException(String message) {
        super(message);
    }

    RateLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
