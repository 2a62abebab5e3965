package io.dharma.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

import io.dharma.redis.Redis;
import io.dharma.redis.RedisAuth;
import io.dharma.redis.RedisConfigException;
import io.dharma.redis.RedisHealth;
import io.dharma.redis.RedisScript;
import io.dharma.redis.RedisUnavailable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis backend: one {@code EVALSHA} of the GCRA script over all of a request's buckets (Redis {@code TIME},
 * integer microseconds, all or nothing, TTL plus jitter), a local denial cache in front, and a fallback behind: when
 * Redis fails or does not answer within the timeout, fail-open policies are decided by the in-process backend and
 * fail-closed ones answer {@link Decision.Outcome#UNAVAILABLE}; Redis is tried again after a doubling backoff, the
 * try being a real decision made by one request at a time.
 * <p>
 * On a Redis Cluster a script only touches the keys of one hash slot, and the buckets of one request (an address, a
 * user) are different entities in different slots. Such a request is decided slot by slot, in the order of its
 * charges: each slot's buckets all or nothing, as above; when a later slot denies, the units the earlier slots took
 * are given back (one more script per slot). A request admitted is charged exactly once in each bucket; between the
 * two calls another request can find the given-back units taken and be denied, never admitted beyond a limit.
 */
final class RedisRateLimiter implements RateLimiter {
    static final RedisScript SCRIPT = RedisScript.load(RedisRateLimiter.class, "gcra");
    static final RedisScript REFUND = RedisScript.load(RedisRateLimiter.class, "gcra_refund");
    // one group of every charge, per charge count: the single round trip of one server, without allocation
    private static final int[][][] ALL = IntStream.range(0, 9)
            .mapToObj(n -> new int[][] {IntStream.range(0, n).toArray()})
            .toArray(int[][][]::new);
    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

    // configuration
    private final UnifiedJedis jedis;
    private final boolean ownsClient;
    private final RateLimitConfig config;
    private final LocalRateLimiter fallback;
    private final RateLimitMetrics metrics;
    private final LongSupplier nanos;
    private final boolean cluster;
    // runtime
    private final DenialCache denials;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong fallbacks = new AtomicLong();
    private final RedisHealth health;

    /** The shared client if there is one, else a client of its own from {@code rate-limit.redis.url}. */
    static RedisRateLimiter create(Optional<? extends UnifiedJedis> shared, RateLimitConfig config,
                                   LocalRateLimiter fallback, RateLimitMetrics metrics, RedisAuth auth) {
        UnifiedJedis client;
        if (shared.isPresent()) {
            client = shared.get();
        } else {
            try {
                client = Redis.client(config.redisUrl().orElseThrow(), config.redisTimeout(), RateLimiting.POOL_SIZE,
                                      "dharma-rate-limit", auth);
            } catch (RedisConfigException e) {
                throw new RateLimitConfigException("rate-limit.redis.url is not a redis://, rediss://, redis-cluster:// or "
                                                     + "rediss-cluster:// URL", e);
            }
        }
        return new RedisRateLimiter(client, shared.isEmpty(), config, fallback, metrics, System::nanoTime);
    }

    RedisRateLimiter(UnifiedJedis jedis, boolean ownsClient, RateLimitConfig config, LocalRateLimiter fallback,
                     RateLimitMetrics metrics, LongSupplier nanos) {
        this.jedis = jedis;
        this.ownsClient = ownsClient;
        this.config = config;
        this.fallback = fallback;
        this.metrics = metrics;
        this.nanos = nanos;
        this.cluster = Redis.isCluster(jedis);
        this.health = new RedisHealth("rate-limit", config.probeBackoff(), config.maxProbeBackoff(), nanos);
        this.denials = new DenialCache(config.denialCacheSize());
    }

    @Override
    public Decision acquire(List<Charge> charges) {
        if (charges.isEmpty()) {
            return fallback.acquire(charges);
        }
        long start = nanos.getAsLong();
        Optional<Decision> cached = cachedDenial(charges, start);
        if (cached.isPresent()) {
            return cached.get();
        }
        boolean probe = false;
        if (!health.up()) {
            if (!health.tryProbe()) {
                return fallback(charges, start);
            }
            probe = true;
        }
        try {
            Decision decision = call(charges, start);
            if (probe) {
                health.recovered();
                LOG.info("Redis is back: rate limits are shared again after {} fallback decisions", fallbacks.get());
            }
            return decision;
        } catch (RedisUnavailable e) {
            if (probe) {
                health.probeFailed(e.reason());
            } else if (!e.callerInterrupted() && health.failed(e.reason())) {
                LOG.warn("Redis is unavailable ({}): rate limits fall back per policy", e.reason());
            }
            return fallback(charges, start);
        } catch (RuntimeException | Error e) {
            if (probe) {
                // never leave the probe claimed: the next one would never run
                health.probeFailed(RedisHealth.describe(e));
            }
            throw e;
        }
    }

    @Override
    public Optional<Decision> knownDenial(List<Charge> charges) {
        Optional<Decision> cached = cachedDenial(charges, nanos.getAsLong());
        if (cached.isPresent() || health.up()) {
            return cached;
        }
        return fallback.knownDenial(charges, Decision.Source.FALLBACK);
    }

    /** Whether decisions currently fall back, and why. */
    RedisHealth health() {
        return health;
    }

    long fallbackCount() {
        return fallbacks.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        if (ownsClient) {
            jedis.close();
        }
    }

    private Optional<Decision> cachedDenial(List<Charge> charges, long now) {
        for (Charge charge : charges) {
            Optional<Long> left = denials.remaining(charge.bucket(), now);
            if (left.isPresent()) {
                long seconds = Math.max(1, (left.get() + 999_999_999L) / 1_000_000_000L);
                PolicyState state = new PolicyState(charge.policy().name(), charge.capacity(),
                                                    charge.policy().windowSeconds(), 0, seconds);
                return Optional.of(new Decision(Decision.Outcome.DENIED, List.of(state),
                                                Optional.of(charge.policy().name()), Duration.ofNanos(left.get()),
                                                Decision.Source.DENIAL_CACHE));
            }
        }
        return Optional.empty();
    }

    private Decision call(List<Charge> charges, long sentNanos) {
        int[][] slots = slots(charges);
        long now = 0;
        boolean admitted = true;
        long[] tats = new long[charges.size()];
        int decided = 0;
        for (; decided < slots.length && admitted; decided++) {
            int[] group = slots[decided];
            List<?> reply = traced(SCRIPT, keys(charges, group), gcraArgs(charges, group));
            if (reply.size() != group.length + 2 || !reply.stream().allMatch(Long.class::isInstance)) {
                throw new RedisUnavailable("unexpected script reply");
            }
            now = Math.max(now, (Long) reply.get(0));
            admitted = (Long) reply.get(1) == 1L;
            for (int i = 0; i < group.length; i++) {
                tats[group[i]] = (Long) reply.get(i + 2);
            }
        }
        if (!admitted) {
            // slots not asked: their buckets are reported as they would be with nothing taken
            for (int g = decided; g < slots.length; g++) {
                for (int i : slots[g]) {
                    tats[i] = now;
                }
            }
            for (int g = 0; g < decided - 1; g++) {
                try {
                    traced(REFUND, keys(charges, slots[g]), refundArgs(charges, slots[g]));
                } catch (RedisUnavailable e) {
                    // the denial stands; the units stay taken until the bucket refills: fewer admissions, never more
                    LOG.debug("Cannot give back units after a denial in another slot: {}", e.reason());
                }
            }
            for (int i = 0; i < tats.length; i++) {
                Charge charge = charges.get(i);
                long oneUnitWait = tats[i] + charge.intervalMicros() - charge.tauMicros() - now;
                if (oneUnitWait > 0) {
                    denials.deny(charge.bucket(), sentNanos + oneUnitWait * 1000);
                }
            }
        }
        return Gcra.decide(charges, now, tats, admitted, Decision.Source.REDIS);
    }

    /** Indexes of the charges per hash slot, in the order of the charges; one group except on a Redis Cluster. */
    private int[][] slots(List<Charge> charges) {
        int n = charges.size();
        if (!cluster || n == 1) {
            return n < ALL.length ? ALL[n] : new int[][] {IntStream.range(0, n).toArray()};
        }
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            bySlot.computeIfAbsent(Redis.slot(config.keyPrefix() + charges.get(i).bucket()), s -> new ArrayList<>()).add(i);
        }
        return bySlot.values().stream().map(g -> g.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    private List<byte[]> keys(List<Charge> charges, int[] group) {
        List<byte[]> keys = new ArrayList<>(group.length);
        for (int i : group) {
            keys.add(bytes(config.keyPrefix() + charges.get(i).bucket()));
        }
        return keys;
    }

    private List<byte[]> gcraArgs(List<Charge> charges, int[] group) {
        List<byte[]> args = new ArrayList<>(1 + 3 * group.length);
        args.add(number(ThreadLocalRandom.current().nextLong(config.ttlJitter().toMillis() + 1)));
        for (int i : group) {
            Charge charge = charges.get(i);
            args.add(number(charge.intervalMicros()));
            args.add(number(charge.tauMicros()));
            args.add(number(charge.cost()));
        }
        return args;
    }

    private static List<byte[]> refundArgs(List<Charge> charges, int[] group) {
        List<byte[]> args = new ArrayList<>(2 * group.length);
        for (int i : group) {
            args.add(number(charges.get(i).intervalMicros()));
            args.add(number(charges.get(i).cost()));
        }
        return args;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] number(long value) {
        return bytes(Long.toString(value));
    }

    /** {@link #execute} in a client span {@code redis EVALSHA}, child of the current span (the request's). */
    private List<?> traced(RedisScript script, List<byte[]> keys, List<byte[]> args) {
        return script.traced(() -> execute(script, keys, args));
    }

    private List<?> execute(RedisScript script, List<byte[]> keys, List<byte[]> args) {
        if (ownsClient) {
            // our own client has socket, connect and pool-wait timeouts equal to rate-limit.redis.timeout
            return run(script, keys, args);
        }
        // a shared client has its own (longer) timeouts: bound the wait here
        return RedisHealth.within(executor, config.redisTimeout(), () -> run(script, keys, args));
    }

    private List<?> run(RedisScript script, List<byte[]> keys, List<byte[]> args) {
        try {
            Object reply = script.eval(jedis, keys, args);
            if (reply instanceof List<?> list) {
                return list;
            }
            throw new RedisUnavailable("unexpected script reply");
        } catch (RedisUnavailable e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RedisUnavailable(RedisHealth.describe(e));
        }
    }

    private Decision fallback(List<Charge> charges, long now) {
        fallbacks.incrementAndGet();
        for (Charge charge : charges) {
            if (charge.policy().failure() == FailureMode.CLOSED) {
                metrics.fallback(FailureMode.CLOSED);
                long nextProbe = health.outage().map(RedisHealth.Outage::nextProbe).orElse(now);
                Duration wait = Duration.ofNanos(Math.max(1_000_000_000L, nextProbe - now));
                return new Decision(Decision.Outcome.UNAVAILABLE, List.of(), Optional.of(charge.policy().name()), wait,
                                    Decision.Source.FALLBACK);
            }
        }
        metrics.fallback(FailureMode.OPEN);
        return fallback.acquire(charges, Decision.Source.FALLBACK);
    }
}
