package io.dharma.cache;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.dharma.redis.RedisHealth;
import io.dharma.redis.RedisScript;
import io.dharma.redis.RedisUnavailable;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis calls for every cache of a node, each bounded by {@code cache.redis-timeout}. The first failure (error or
 * timeout) starts an outage ({@link RedisHealth}): calls fail at once, without touching Redis, while one background
 * probe reads one key of every cache ({@code EXISTS} of its sequence key, in the cache's hash slot) with a doubling
 * backoff. Invalidations made during the outage are remembered (at most {@value #MAX_PENDING}; beyond that the cache
 * concerned is invalidated as a whole) and replayed before the outage ends, so an entry Redis kept through the outage
 * cannot outlive a write made during it.
 */
final class RedisBackend implements AutoCloseable {
    /** Most invalidations remembered during an outage. */
    static final int MAX_PENDING = 10_000;
    private static final Duration PROBE_RETRY = Duration.ofMillis(10);
    private static final Logger LOG = LoggerFactory.getLogger(RedisBackend.class);
    private static final RedisUnavailable SKIPPED = new RedisUnavailable("Redis is unavailable");

    // configuration
    private final UnifiedJedis jedis;
    private final CachesConfig config;
    // one key per cache (its sequence key), each in that cache's hash slot: an outage ends when every cache's
    // primary answers, on a Redis Cluster too
    private final Set<String> probeKeys = ConcurrentHashMap.newKeySet();
    // runtime
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Pending> pending = new LinkedHashSet<>();
    private final Set<RedisEntries> overflow = new HashSet<>();
    private final RedisHealth health;
    private volatile @Nullable Thread prober;
    private volatile boolean closed;

    RedisBackend(UnifiedJedis jedis, CachesConfig config) {
        this.jedis = jedis;
        this.config = config;
        this.health = new RedisHealth("cache", config.probeBackoff(), config.maxProbeBackoff(), System::nanoTime);
    }

    boolean up() {
        return health.up();
    }

    Optional<RedisHealth.Outage> outage() {
        return health.outage();
    }

    /**
     * Run a script (loaded on first use or after Redis lost it), in a client span {@code redis EVALSHA} when traced.
     *
     * @throws RedisUnavailable if Redis failed, did not answer in time, or is in an outage
     */
    Object eval(RedisScript script, List<byte[]> keys, List<byte[]> args) {
        if (!health.up() && Thread.currentThread() != prober) {
            throw SKIPPED;
        }
        return script.traced(() -> bounded(() -> script.eval(jedis, keys, args)));
    }

    /** A cache's key that the outage probe reads: the outage ends only when its slot answers. */
    void probeWith(String key) {
        probeKeys.add(key);
    }

    /** Remember an invalidation that could not reach Redis, to replay it when Redis is back. */
    void pending(RedisEntries cache, Invalidation.Kind kind, String subject) {
        synchronized (pending) {
            if (overflow.contains(cache)) {
                return;
            }
            if (pending.size() < MAX_PENDING) {
                pending.add(new Pending(cache, kind, subject));
            } else {
                overflow.add(cache);
            }
        }
        if (up()) {
            // Redis came back between the failed call and now: nobody else will replay this
            Thread.ofVirtual().name("dharma-cache-replay").start(this::replayQuietly);
        }
    }

    int pendingCount() {
        synchronized (pending) {
            return pending.size() + overflow.size();
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread probe = prober;
        if (probe != null) {
            probe.interrupt();
        }
        calls.shutdownNow();
    }

    private <T> T bounded(Callable<T> call) {
        try {
            return RedisHealth.within(calls, config.redisTimeout(), call);
        } catch (RedisUnavailable e) {
            if (!e.callerInterrupted() && Thread.currentThread() != prober) {
                startOutage(e.reason());
            }
            throw e;
        }
    }

    private synchronized void startOutage(String reason) {
        if (closed || !health.failed(reason)) {
            return;
        }
        LOG.warn("Redis is unavailable ({}): caches answer from L1 and loaders until it is back", reason);
        Thread probe = Thread.ofVirtual().name("dharma-cache-probe").unstarted(this::probe);
        prober = probe;
        probe.start();
    }

    private void probe() {
        while (!closed) {
            try {
                Thread.sleep(health.untilProbe());
            } catch (InterruptedException e) {
                return;
            }
            if (!health.tryProbe()) {
                try {
                    Thread.sleep(PROBE_RETRY); // not due yet after all: never a busy loop
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            try {
                // keyed reads, not PING: a cluster client sends PING to every primary it knew at start (a dead one
                // too), and the slot of each cache must answer, not just any node
                for (String key : probeKeys) {
                    bounded(() -> jedis.exists(key));
                }
                replay();
                synchronized (this) {
                    long millis = health.recovered().orElse(Duration.ZERO).toMillis();
                    prober = null;
                    LOG.info("Redis is back after {} ms: caches use it again", millis);
                }
                return;
            } catch (RedisUnavailable e) {
                health.probeFailed(e.reason());
            } catch (RuntimeException e) {
                // an unexpected reply must not end the prober while the outage lasts
                health.probeFailed(RedisHealth.describe(e));
            }
        }
    }

    /** Replay remembered invalidations until none is left; a {@link RedisUnavailable} leaves the rest for later. */
    private void replay() {
        while (true) {
            List<Pending> batch;
            Set<RedisEntries> whole;
            synchronized (pending) {
                if (pending.isEmpty() && overflow.isEmpty()) {
                    return;
                }
                batch = List.copyOf(pending);
                whole = Set.copyOf(overflow);
            }
            for (RedisEntries cache : whole) {
                cache.invalidate(Invalidation.Kind.ALL, "");
            }
            for (Pending p : batch) {
                if (!whole.contains(p.cache())) {
                    p.cache().invalidate(p.kind(), p.subject());
                }
            }
            synchronized (pending) {
                batch.forEach(pending::remove);
                overflow.removeAll(whole);
            }
        }
    }

    private void replayQuietly() {
        try {
            replay();
        } catch (RedisUnavailable e) {
            // the outage it started replays the rest
        }
    }

    private record Pending(RedisEntries cache, Invalidation.Kind kind, String subject) {
    }
}
