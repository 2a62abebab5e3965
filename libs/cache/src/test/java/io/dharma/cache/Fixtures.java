package io.dharma.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import com.github.benmanes.caffeine.cache.Ticker;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** Test configuration, clients and values. */
final class Fixtures {
    private Fixtures() {
    }

    static Config yaml(String yaml) {
        return Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML));
    }

    static CachesConfig config(String yaml) {
        return CachesConfig.create(yaml(yaml).get("cache"));
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

    /** A Caffeine ticker that only moves when told. */
    static final class FakeTicker implements Ticker {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }
}
