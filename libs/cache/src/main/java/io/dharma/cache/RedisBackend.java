package io.dharma.cache;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.dharma.redis.RedisScript;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis calls for every cache of a node, each bounded by {@code cache.redis-timeout}. The first failure (error or
 * timeout) starts an outage: calls fail at once, without touching Redis, while one background probe tries a keyed
 * read ({@code EXISTS <prefix>probe}) with a doubling backoff. Invalidations made during the outage are remembered (at most
 * {@value #MAX_PENDING}; beyond that the cache concerned is invalidated as a whole) and replayed before the outage
 * ends, so an entry Redis kept through the outage cannot outlive a write made during it.
 */
final class RedisBackend implements AutoCloseable {
    /** Most invalidations remembered during an outage. */
    static final int MAX_PENDING = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(RedisBackend.class);
    private static final Unavailable SKIPPED = new Unavailable("Redis is unavailable");

    // configuration
    private final UnifiedJedis jedis;
    private final CachesConfig config;
    private final String probeKey;
    // runtime
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Pending> pending = new LinkedHashSet<>();
    private final Set<RedisEntries> overflow = new HashSet<>();
    private volatile @Nullable Outage outage;
    private volatile @Nullable Thread prober;
    private volatile boolean closed;

    RedisBackend(UnifiedJedis jedis, CachesConfig config) {
        this.jedis = jedis;
        this.config = config;
        this.probeKey = config.keyPrefix() + "probe";
    }

    boolean up() {
        return outage == null;
    }

    Optional<Outage> outage() {
        return Optional.ofNullable(outage);
    }

    /**
     * Run a script (loaded on first use or after Redis lost it).
     *
     * @throws Unavailable if Redis failed, did not answer in time, or is in an outage
     */
    Object eval(RedisScript script, List<byte[]> keys, List<byte[]> args) {
        if (outage != null && Thread.currentThread() != prober) {
            throw SKIPPED;
        }
        return bounded(() -> script.eval(jedis, keys, args));
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
        Future<T> future;
        try {
            future = calls.submit(call);
        } catch (RejectedExecutionException e) {
            throw new Unavailable("closed");
        }
        try {
            return future.get(config.redisTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw failed("no answer within " + config.redisTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw failed(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            // the caller was interrupted, Redis is not to blame
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new Unavailable("interrupted");
        }
    }

    private Unavailable failed(String reason) {
        if (Thread.currentThread() != prober) {
            startOutage(reason);
        }
        return new Unavailable(reason);
    }

    private synchronized void startOutage(String reason) {
        if (outage != null || closed) {
            return;
        }
        outage = new Outage(System.nanoTime(), reason);
        LOG.warn("Redis is unavailable ({}): caches answer from L1 and loaders until it is back", reason);
        Thread probe = Thread.ofVirtual().name("dharma-cache-probe").unstarted(this::probe);
        prober = probe;
        probe.start();
    }

    private void probe() {
        Duration wait = config.probeBackoff();
        while (!closed) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            try {
                // a keyed read, not PING: a cluster client sends PING to every primary it knew at start, a dead one too
                bounded(() -> jedis.exists(probeKey));
                replay();
                synchronized (this) {
                    Outage ended = outage;
                    outage = null;
                    prober = null;
                    LOG.info("Redis is back after {} ms: caches use it again",
                             ended == null ? 0 : (System.nanoTime() - ended.since()) / 1_000_000);
                }
                return;
            } catch (Unavailable e) {
                Outage current = outage;
                outage = new Outage(current == null ? System.nanoTime() : current.since(), e.getMessage());
                wait = wait.multipliedBy(2).compareTo(config.maxProbeBackoff()) > 0
                        ? config.maxProbeBackoff()
                        : wait.multipliedBy(2);
            }
        }
    }

    /** Replay remembered invalidations until none is left; an {@link Unavailable} leaves the rest for later. */
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
        } catch (Unavailable e) {
            // the outage it started replays the rest
        }
    }

    /**
     * An outage: since when (nanos) and the last failure.
     *
     * @param since  {@link System#nanoTime()} at the first failure
     * @param reason last failure, without data
     */
    record Outage(long since, String reason) {
    }

    private record Pending(RedisEntries cache, Invalidation.Kind kind, String subject) {
    }

    /** Redis failed, did not answer in time, or is in an outage; the caller degrades. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String reason) {
            super(reason, null, false, false);
        }
    }
}
