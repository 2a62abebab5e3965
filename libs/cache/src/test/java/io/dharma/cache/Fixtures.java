package io.dharma.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.dharma.testing.YamlConfig;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** Test configuration, clients and values. */
final class Fixtures {
    private Fixtures() {
    }

    static CachesConfig config(String yaml) {
        return CachesConfig.create(YamlConfig.parse(yaml).get("cache"));
    }

    /** A pooled client of its own, as each service instance has. */
    static JedisPooled client(int port) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(32);
        pool.setMaxIdle(32);
        pool.setMaxWait(Duration.ofSeconds(1));
        return new JedisPooled(new HostAndPort("127.0.0.1", port),
                               DefaultJedisClientConfig.builder()
                                       .connectionTimeoutMillis(1000)
                                       .socketTimeoutMillis(2000)
                                       .clientName("dharma-cache-test")
                                       .build(),
                               pool);
    }

    /** Get one key from many virtual threads released at once; the caller of index i uses {@code cacheOf(i)}. */
    static List<Optional<Blueprint>> getConcurrently(int callers, IntFunction<Cache<Blueprint>> cacheOf, String key,
                                                     Supplier<Loaded<Blueprint>> loader) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<Blueprint>>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                Cache<Blueprint> cache = cacheOf.apply(i);
                futures.add(threads.submit(() -> {
                    go.await();
                    return cache.get(key, loader);
                }));
            }
            go.countDown();
        }
        List<Optional<Blueprint>> results = new ArrayList<>();
        for (Future<Optional<Blueprint>> future : futures) {
            results.add(future.get());
        }
        return results;
    }
}
