package io.dharma.redis;

/**
 * A Redis URL that names no Redis: wrong scheme, a cluster seed that is not {@code host:port}.
 */
public final class RedisConfigException extends RedisException {
    RedisConfigException(String message) {
        super(message);
    }
}
