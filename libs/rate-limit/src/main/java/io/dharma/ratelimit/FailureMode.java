package io.dharma.ratelimit;

/**
 * What a policy does while its shared (Redis) backend is slow or down.
 */
public enum FailureMode {
    /** Decide in process instead, per instance (the default): service continues, abuse stays bounded per instance. */
    OPEN,
    /** Refuse the request with 503 and {@code Retry-After}. */
    CLOSED
}
