package io.dharma.redis;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.helidon.config.Config;

import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Pooled Redis clients, of one Redis server or of a Redis Cluster. A service has one shared client from its
 * {@code redis} node (the caches use it); the rate limiter builds its own from the same URL with its shorter timeout.
 * Every timeout (connect, socket, pool wait) is bounded, so a hung Redis costs a caller at most the timeout.
 * <pre>
 * redis:
 *   url: redis://127.0.0.1:6379     # absent: no Redis (embedded default); rediss:// for TLS; user:password@ and /db work
 *                                   # redis-cluster://host:port[,host:port...] (seed nodes; rediss-cluster:// for TLS,
 *                                   # user:password@ works, no /db): a Redis Cluster
 *   password-secret: redis-password # secret holding the password (wins over the URL's); read at each new connection
 *   user: app                       # ACL user (absent: the URL's user, else the default user)
 *   timeout: PT0.5S                 # connect, socket and pool-wait timeout
 *   pool-size: 64                   # connections (a cache subscription holds one)
 * </pre>
 * Passwords rotate without a restart ({@link RedisAuth}): every new connection authenticates with the secret's current
 * value (a Jedis {@code RedisCredentialsProvider}), and a pooled connection opened with a password that is no longer
 * current is closed instead of being reused, at its next borrow or return. Redis keeps existing connections
 * authenticated when a password changes ({@code CONFIG SET requirepass}, {@code ACL SETUSER}), so requests keep being
 * served while the pool renews itself. On a cluster every new connection authenticates with the current secret too;
 * open connections keep the password they were opened with until they are replaced.
 */
public final class Redis {
    /** Scheme of a Redis Cluster URL (seed nodes). */
    public static final String CLUSTER_SCHEME = "redis-cluster";
    /** Scheme of a Redis Cluster URL over TLS. */
    public static final String TLS_CLUSTER_SCHEME = "rediss-cluster";
    // how often a cluster client reads the slot map again, besides after MOVED and connection failures
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(2);

    /** Default timeout of the shared client. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    /** Default pool size of the shared client. */
    public static final int DEFAULT_POOL_SIZE = 64;

    private Redis() {
    }

    /**
     * The shared client of a service, if {@code redis.url} is set, authenticating with the URL's credentials only.
     *
     * @param node       the {@code redis} node
     * @param clientName name shown by {@code CLIENT LIST}, e.g. the service name
     * @return client, empty without a URL
     */
    public static Optional<UnifiedJedis> client(Config node, String clientName) {
        return client(node, clientName, RedisAuth.url());
    }

    /**
     * The shared client of a service, if {@code redis.url} is set, with its password from a secret store
     * ({@link RedisAuth#create(Config, Function)}).
     *
     * @param node       the {@code redis} node
     * @param clientName name shown by {@code CLIENT LIST}, e.g. the service name
     * @param secrets    current value of a secret by name, empty when the store does not have it (answers from memory)
     * @return client, empty without a URL
     */
    public static Optional<UnifiedJedis> client(Config node, String clientName, Function<String, Optional<String>> secrets) {
        return client(node, clientName, RedisAuth.create(node, secrets));
    }

    private static Optional<UnifiedJedis> client(Config node, String clientName, RedisAuth auth) {
        Optional<String> url = url(node);
        if (url.isEmpty()) {
            // no lambda returning a client here: its method type alone would load Jedis in a service without Redis
            return Optional.empty();
        }
        return Optional.of(client(url.get(), node.get("timeout").as(Duration.class).orElse(DEFAULT_TIMEOUT),
                                  node.get("pool-size").asInt().orElse(DEFAULT_POOL_SIZE), clientName, auth));
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
     * Whether a URL names a Redis Cluster ({@value #CLUSTER_SCHEME}:// or {@value #TLS_CLUSTER_SCHEME}://).
     *
     * @param url a Redis URL
     * @return whether it is a cluster's
     */
    public static boolean isCluster(String url) {
        return url.startsWith(CLUSTER_SCHEME + "://") || url.startsWith(TLS_CLUSTER_SCHEME + "://");
    }

    /**
     * Whether a client talks to a Redis Cluster, where the keys of one command or script must share a hash slot.
     *
     * @param client a client built here
     * @return whether it is a cluster client
     */
    public static boolean isCluster(UnifiedJedis client) {
        return client instanceof RedisClusterClient;
    }

    /**
     * The Redis Cluster hash slot of a key (its hash tag, if it has one): keys of one script must share it on a cluster.
     *
     * @param key a key
     * @return slot, 0..16383
     */
    public static int slot(String key) {
        return JedisClusterCRC16.getSlot(key);
    }

    /**
     * A pooled client with the credentials of its URL.
     *
     * @param url        {@code redis://}, {@code rediss://}, {@code redis-cluster://} or {@code rediss-cluster://} URL
     * @param timeout    connect, socket and pool-wait timeout
     * @param poolSize   connections
     * @param clientName name shown by {@code CLIENT LIST}
     * @return client (close it)
     * @throws RedisConfigException if the URL is not a Redis URL
     * @throws RedisStartException   if no seed node of a {@code redis-cluster://} URL answers
     */
    public static UnifiedJedis client(String url, Duration timeout, int poolSize, String clientName) {
        return Pooled.create(url, timeout, poolSize, clientName, RedisAuth.url());
    }

    /**
     * A pooled client whose connections authenticate with the credentials current when each is opened; a pooled
     * connection opened with a password that is no longer current is closed at its next borrow or return.
     *
     * @param url        {@code redis://}, {@code rediss://}, {@code redis-cluster://} or {@code rediss-cluster://} URL; its
     *                   user and password apply where {@code auth} has none
     * @param timeout    connect, socket and pool-wait timeout
     * @param poolSize   connections
     * @param clientName name shown by {@code CLIENT LIST}
     * @param auth       credentials, asked for each new connection and each borrow
     * @return client (close it)
     * @throws RedisConfigException if the URL is not a Redis URL
     * @throws RedisStartException   if no seed node of a {@code redis-cluster://} URL answers
     */
    public static UnifiedJedis client(String url, Duration timeout, int poolSize, String clientName, RedisAuth auth) {
        return Pooled.create(url, timeout, poolSize, clientName, auth);
    }

    /** Jedis' classes are loaded (and verified) only when a client is built, not by a service without Redis. */
    private static final class Pooled {
        private Pooled() {
        }

        static UnifiedJedis create(String url, Duration timeout, int poolSize, String clientName, RedisAuth auth) {
            boolean cluster = isCluster(url);
            // a cluster URL names several seed nodes: each is read as the one node of a redis:// URL
            String[] seeds = cluster ? url.substring(url.indexOf("://") + 3).split(",") : new String[0];
            URI uri;
            try {
                uri = cluster
                        ? URI.create((url.startsWith(TLS_CLUSTER_SCHEME) ? "rediss://" : "redis://") + seeds[0])
                        : URI.create(url);
            } catch (IllegalArgumentException e) {
                throw notRedis(url);
            }
            if (!JedisURIHelper.isValid(uri) || !"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())
                    || cluster && uri.getPath() != null && uri.getPath().length() > 1) {
                throw notRedis(url);
            }
            SecretCredentials credentials = new SecretCredentials(auth, JedisURIHelper.getUser(uri),
                                                                  JedisURIHelper.getPassword(uri));
            int millis = (int) Math.max(1, timeout.toMillis());
            DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(millis)
                    .socketTimeoutMillis(millis)
                    .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                    .clientName(clientName)
                    .credentialsProvider(credentials);
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            pool.setMaxTotal(poolSize);
            pool.setMaxIdle(poolSize);
            pool.setMaxWait(timeout);
            pool.setBlockWhenExhausted(true);
            if (cluster) {
                // retries (a moved slot, a node gone) end within the timeout, so a caller waits no longer than on one
                // server and falls back as soon
                try {
                    return RedisClusterClient.builder()
                            .nodes(seeds(seeds))
                            .clientConfig(client.build())
                            .poolConfig(pool)
                            .maxAttempts(3)
                            .maxTotalRetriesDuration(timeout)
                            .topologyRefreshPeriod(TOPOLOGY_REFRESH)
                            .build();
                } catch (JedisException e) {
                    // the client reads the slot map when it is built: no seed answering is a failed start
                    throw new RedisStartException("No seed node of the Redis Cluster answered (" + RedisHealth.describe(e) + ")", e);
                }
            }
            ConnectionFactory connections = new ConnectionFactory(JedisURIHelper.getHostAndPort(uri),
                                                                  client.database(JedisURIHelper.getDBIndex(uri)).build());
            return new JedisPooled(pool, new RotatingConnectionFactory(connections, credentials));
        }

        // every seed of a cluster URL as a node: host and port required, no path; the first may carry user:password@
        private static Set<HostAndPort> seeds(String[] seeds) {
            Set<HostAndPort> nodes = new LinkedHashSet<>();
            for (String seed : seeds) {
                URI node;
                try {
                    node = URI.create("redis://" + seed.substring(seed.lastIndexOf('@') + 1));
                } catch (IllegalArgumentException e) {
                    throw new RedisConfigException("A Redis Cluster seed is not host:port: '" + seed + "'");
                }
                if (node.getHost() == null || node.getPort() < 0 || node.getPath() != null && node.getPath().length() > 1) {
                    throw new RedisConfigException("A Redis Cluster seed is not host:port: '"
                                                               + seed.substring(seed.lastIndexOf('@') + 1) + "'");
                }
                nodes.add(new HostAndPort(node.getHost(), node.getPort()));
            }
            return nodes;
        }

        private static RedisConfigException notRedis(String url) {
            return new RedisConfigException("Not a redis://, rediss://, redis-cluster:// or rediss-cluster:// URL: "
                                                        + url.substring(0, Math.max(0, url.indexOf(':'))) + "://...");
        }
    }
}
