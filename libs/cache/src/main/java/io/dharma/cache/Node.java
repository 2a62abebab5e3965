package io.dharma.cache;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * This instance's share of the caches: the Redis backend and subscription (when Redis is configured), the caches by
 * name, and the epoch. The epoch changes whenever the subscription is lost or established: entries filled before
 * cannot know about messages missed meanwhile, so they are never served again.
 * <p>
 * L1 is used while Redis is not configured, while the subscription is up, and while Redis is in an outage (then with
 * {@code cache.degraded-ttl}, since other instances cannot reach this one either). With the subscription down but
 * Redis answering, L1 is bypassed and every read goes to L2, which stays exact.
 */
final class Node implements Subscriber.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    // configuration
    private final CachesConfig config;
    private final Ticker ticker;
    private final String origin;
    private final Optional<RedisBackend> redis;
    private final Optional<Subscriber> subscriber;
    // runtime
    private final AtomicLong epoch = new AtomicLong();
    private final Map<String, CacheImpl<?>> caches = new ConcurrentHashMap<>();

    Node(CachesConfig config, Optional<? extends UnifiedJedis> jedis, Ticker ticker) {
        this.config = config;
        this.ticker = ticker;
        this.origin = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        // no lambda taking a client: its method type alone would load Jedis in a service without Redis
        if (jedis.isEmpty()) {
            this.redis = Optional.empty();
            this.subscriber = Optional.empty();
        } else {
            this.redis = Optional.of(new RedisBackend(jedis.get(), config));
            this.subscriber = config.enabled()
                    ? Optional.of(new Subscriber(jedis.get(), RedisEntries.channel(config.keyPrefix()), config, this))
                    : Optional.empty();
        }
    }

    void start(Duration awaitSubscription) {
        // here and below: no method references to the Redis parts when they are absent (they would load Jedis)
        if (subscriber.isPresent()) {
            subscriber.get().start();
        }
        awaitSubscribed(awaitSubscription);
    }

    boolean awaitSubscribed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (subscriber.isPresent() && !subscriber.get().up() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return subscriber.isEmpty() || subscriber.get().up();
    }

    CachesConfig config() {
        return config;
    }

    Ticker ticker() {
        return ticker;
    }

    String origin() {
        return origin;
    }

    Optional<RedisBackend> redis() {
        return redis;
    }

    Optional<Subscriber> subscriber() {
        return subscriber;
    }

    Map<String, CacheImpl<?>> caches() {
        return caches;
    }

    long epoch() {
        return epoch.get();
    }

    boolean redisUp() {
        return redis.isPresent() && redis.get().up();
    }

    boolean l1Usable() {
        return redis.isEmpty() || subscriber.map(Subscriber::up).orElse(false) || !redis.get().up();
    }

    /** Whether Redis is configured but not fully usable (outage or no subscription). */
    boolean degraded() {
        return redis.isPresent() && config.enabled() && (!redis.get().up() || !subscriber.map(Subscriber::up).orElse(false));
    }

    @Override
    public void subscribed() {
        newEpoch();
    }

    @Override
    public void lost() {
        newEpoch();
    }

    @Override
    public void received(String message) {
        try {
            Invalidation.parse(message)
                    .filter(i -> !i.origin().equals(origin))
                    .ifPresent(i -> {
                        CacheImpl<?> cache = caches.get(i.cache());
                        if (cache != null) {
                            cache.received(i);
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warn("Cannot apply cache invalidation message", e);
        }
    }

    @Override
    public void close() {
        if (subscriber.isPresent()) {
            subscriber.get().close();
        }
        if (redis.isPresent()) {
            redis.get().close();
        }
    }

    private void newEpoch() {
        epoch.incrementAndGet();
        caches.values().forEach(CacheImpl::reset);
    }
}
