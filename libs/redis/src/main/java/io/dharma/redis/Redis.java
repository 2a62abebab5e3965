package io.dharma.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Pooled Redis clients. A service has one shared client from its {@code redis} node (the caches use it); the rate
 * limiter builds its own from the same URL with its shorter timeout. Every timeout (connect, socket, pool wait) is
 * bounded, so a hung Redis costs a caller at most the timeout.
 * <pre>
 * redis:
 *   url: redis://127.0.0.1:6379     # absent: no Redis (embedded default); rediss:// for TLS; user:password@ and /db work
 *   timeout: PT0.5S                 # connect, socket and pool-wait timeout
 *   pool-size: 64                   # connections (a cache subscription holds one)
 * </pre>
 */
public final class Redis {
    /** Default timeout of the shared client. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    /** Default pool size of the shared client. */
    public static final int DEFAULT_POOL_SIZE = 64;

    private Redis() {
    }

    /**
     * The shared client of a service, if {@code redis.url} is set.
     *
     * @param node       the {@code redis} node
     * @param clientName name shown by {@code CLIENT LIST}, e.g. the service name
     * @return client, empty without a URL
     */
    public static Optional<JedisPooled> client(Config node, String clientName) {
        Optional<String> url = url(node);
        if (url.isEmpty()) {
            // no lambda returning a client here: its method type alone would load Jedis in a service without Redis
            return Optional.empty();
        }
        return Optional.of(client(url.get(), node.get("timeout").as(Duration.class).orElse(DEFAULT_TIMEOUT),
                                  node.get("pool-size").asInt().orElse(DEFAULT_POOL_SIZE), clientName));
    }

    /**
     * The {@code redis.url} of a service, if set.
     *
     * @param node the {@code redis} node
     * @return URL
     */
    public static Optional<String> url(Config node) {
        return node.get("url").asString().asOptional().filter(s -> !s.isBlank());
    }

    /**
     * A pooled client.
     *
     * @param url        {@code redis://} or {@code rediss://} URL
     * @param timeout    connect, socket and pool-wait timeout
     * @param poolSize   connections
     * @param clientName name shown by {@code CLIENT LIST}
     * @return client (close it)
     * @throws IllegalArgumentException if the URL is not a Redis URL
     */
    public static JedisPooled client(String url, Duration timeout, int poolSize, String clientName) {
        return Pooled.create(url, timeout, poolSize, clientName);
    }

    /** Jedis' classes are loaded (and verified) only when a client is built, not by a service without Redis. */
    private static final class Pooled {
        private Pooled() {
        }

        static JedisPooled create(String url, Duration timeout, int poolSize, String clientName) {
            URI uri = URI.create(url);
            if (!JedisURIHelper.isValid(uri)) {
                throw new IllegalArgumentException("Not a redis:// or rediss:// URL: " + uri.getScheme() + "://...");
            }
            int millis = (int) Math.max(1, timeout.toMillis());
            DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(millis)
                    .socketTimeoutMillis(millis)
                    .database(JedisURIHelper.getDBIndex(uri))
                    .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                    .clientName(clientName);
            String password = JedisURIHelper.getPassword(uri);
            if (password != null) {
                client.user(JedisURIHelper.getUser(uri)).password(password);
            }
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            pool.setMaxTotal(poolSize);
            pool.setMaxIdle(poolSize);
            pool.setMaxWait(timeout);
            pool.setBlockWhenExhausted(true);
            return new JedisPooled(JedisURIHelper.getHostAndPort(uri), client.build(), pool);
        }
    }
}
