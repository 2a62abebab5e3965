package io.dharma.redis;

/**
 * Base of the failures of the redis library that stop a start: a bad {@code redis} setting, a cluster none of
 * whose seeds answers. Redis being slow or down while serving is {@link RedisUnavailable} instead.
 */
public abstract class RedisException extends RuntimeException {
    RedisException(String message) {
        super(message);
    }

    RedisException(String message, Throwable cause) {
        super(message, cause);
    }
}
