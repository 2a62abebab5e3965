package io.dharma.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.dharma.redis.Redis;
import io.dharma.testing.FakeClock;
import io.dharma.testing.RedisCluster;

import io.helidon.health.HealthCheckResponse;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Service instances of one test: each {@link Caches} gets a Redis client of its own, all share the Redis at a port
 * (or a Redis Cluster) under a random key prefix (and so a channel of their own). Closing removes the test's keys
 * from a single server.
 */
final class Instances implements AutoCloseable {
    static final String BLUEPRINTS = "blueprints";

    private final int port;
    private final Supplier<UnifiedJedis> clients;
    private final String prefix = "cachetest:" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> closeables = new ArrayList<>();

    Instances(int port) {
        this.port = port;
        this.clients = () -> Fixtures.client(port);
    }

    /** Instances on a Redis Cluster, each with a cluster client of its own. */
    Instances(RedisCluster cluster) {
        this.port = -1;
        this.clients = () -> Redis.client(cluster.url(), Duration.ofMillis(500), 32, "dharma-cache-test");
    }

    String prefix() {
        return prefix;
    }

    /** The Redis key of an entry, version or other key of a cache, e.g. {@code key("blueprints", "e:b-1")}. */
    String key(String cache, String name) {
        return prefix + "{" + cache + "}:" + name;
    }

    String channel() {
        return RedisEntries.channel(prefix);
    }

    /** A new instance with its own client and ticker; {@code extra} are YAML lines under {@code cache}. */
    Caches start(String extra) {
        return start(extra, new FakeClock());
    }

    Caches start(String extra, FakeClock ticker) {
        UnifiedJedis client = clients.get();
        Caches caches = Caches.create(Fixtures.config("""
                cache:
                  key-prefix: "%s"
                  redis-timeout: PT0.5S
                  probe-backoff: PT0.02S
                  max-probe-backoff: PT0.2S
                  heartbeat: PT0.2S
                %s
                """.formatted(prefix, extra)), Optional.of(client), ticker::nanoTime);
        closeables.add(client);
        closeables.add(caches);
        assertThat("subscribed", caches.node().awaitSubscribed(Duration.ofSeconds(5)), is(true));
        return caches;
    }

    static Cache<Blueprint> blueprints(Caches caches) {
        return caches.cache(BLUEPRINTS, Codec.json(Blueprint.class));
    }

    static CacheImpl<Blueprint> impl(Cache<Blueprint> cache) {
        return (CacheImpl<Blueprint>) cache;
    }

    static String state(Caches caches, String detail) {
        HealthCheckResponse response = caches.readinessCheck().call();
        assertThat(response.status(), is(HealthCheckResponse.Status.UP));
        return String.valueOf(response.details().get(detail));
    }

    /** Wait until a condition holds (at most {@code timeout}) and return how long it took; fail if it never does. */
    static Duration await(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Not within " + timeout + ": " + what);
            }
            Thread.onSpinWait();
            LocalCacheTest.sleep(1);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
        if (port < 0) {
            return;
        }
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            // test clean-up only: the library itself never lists keys
            Set<String> keys = jedis.keys(prefix + "*");
            if (!keys.isEmpty()) {
                jedis.del(keys.toArray(String[]::new));
            }
        } catch (RuntimeException e) {
            // a private server may be stopped already
        }
    }
}
