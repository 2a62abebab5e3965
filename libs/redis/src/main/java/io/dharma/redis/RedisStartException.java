package io.dharma.redis;

/**
 * No seed node of a Redis Cluster answered while the client read the slot map: the service does not start.
 */
public final class RedisStartException extends RedisException {
    RedisStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
