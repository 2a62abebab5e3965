package io.dharma.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.dharma.redis.Redis;
import io.dharma.redis.RedisAuth;

import io.helidon.tracing.Span;
import io.helidon.tracing.Tracer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Redis backend: one {@code EVALSHA} of the GCRA script over all of a request's buckets (Redis {@code TIME},
 * integer microseconds, all or nothing, TTL plus jitter), a local denial cache in front, and a fallback behind: when
 * Redis fails or does not answer within the timeout, fail-open policies are decided by the in-process backend and
 * fail-closed ones answer {@link Decision.Outcome#UNAVAILABLE}; Redis is tried again after a doubling backoff, the
 * try being a real decision made by one request at a time.
 */
final class RedisRateLimiter implements RateLimiter {
    static final String SCRIPT = script();
    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

    // configuration
    private final UnifiedJedis jedis;
    private final boolean ownsClient;
    private final RateLimitConfig config;
    private final LocalRateLimiter fallback;
    private final RateLimitMetrics metrics;
    private final LongSupplier nanos;
    private final String sha;
    // runtime
    private final DenialCache denials;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile Health health = Health.UP;

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
            } catch (IllegalArgumentException e) {
                throw new RateLimitException("rate-limit.redis.url is not a redis:// or rediss:// URL");
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
        this.sha = sha1(SCRIPT);
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
        Health current = health;
        boolean probe = false;
        if (current.degraded()) {
            if (start - current.nextProbe() < 0 || !probing.compareAndSet(false, true)) {
                return fallback(charges, current, start);
            }
            probe = true;
        }
        try {
            Decision decision = call(charges, start);
            if (current.degraded()) {
                LOG.info("Redis is back: rate limits are shared again after {} fallback decisions", fallbacks.get());
                health = Health.UP;
            }
            return decision;
        } catch (RedisUnavailable e) {
            Health failed = current.degraded()
                    ? current.retryLater(start, config.maxProbeBackoff(), e.reason())
                    : Health.down(start, config.probeBackoff(), e.reason());
            if (!current.degraded()) {
                LOG.warn("Redis is unavailable ({}): rate limits fall back per policy", e.reason());
            }
            health = failed;
            return fallback(charges, failed, start);
        } finally {
            if (probe) {
                probing.set(false);
            }
        }
    }

    @Override
    public Optional<Decision> knownDenial(List<Charge> charges) {
        Optional<Decision> cached = cachedDenial(charges, nanos.getAsLong());
        if (cached.isPresent() || !health.degraded()) {
            return cached;
        }
        return fallback.knownDenial(charges, Decision.Source.FALLBACK);
    }

    /** Whether decisions currently fall back, and why. */
    Health health() {
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
        List<String> keys = new ArrayList<>(charges.size());
        List<String> args = new ArrayList<>(1 + 3 * charges.size());
        args.add(Long.toString(ThreadLocalRandom.current().nextLong(config.ttlJitter().toMillis() + 1)));
        for (Charge charge : charges) {
            keys.add(config.keyPrefix() + charge.bucket());
            args.add(Long.toString(charge.intervalMicros()));
            args.add(Long.toString(charge.tauMicros()));
            args.add(Long.toString(charge.cost()));
        }
        List<?> reply = traced(keys, args);
        if (reply.size() != charges.size() + 2 || !reply.stream().allMatch(Long.class::isInstance)) {
            throw new RedisUnavailable("unexpected script reply");
        }
        long now = (Long) reply.get(0);
        boolean admitted = (Long) reply.get(1) == 1L;
        long[] tats = new long[charges.size()];
        for (int i = 0; i < tats.length; i++) {
            tats[i] = (Long) reply.get(i + 2);
        }
        if (!admitted) {
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

    /** {@link #execute} in a client span {@code redis EVALSHA}, child of the current span (the request's). */
    private List<?> traced(List<String> keys, List<String> args) {
        Tracer tracer = Tracer.global();
        if (!tracer.enabled()) {
            return execute(keys, args);
        }
        Span span = tracer.spanBuilder("redis EVALSHA")
                .update(builder -> Span.current().ifPresent(parent -> builder.parent(parent.context())))
                .kind(Span.Kind.CLIENT)
                .tag("db.system", "redis")
                .tag("db.operation", "EVALSHA")
                .tag("ratelimit.buckets", keys.size())
                .start();
        try {
            List<?> reply = execute(keys, args);
            span.end();
            return reply;
        } catch (RuntimeException e) {
            span.end(e);
            throw e;
        }
    }

    private List<?> execute(List<String> keys, List<String> args) {
        if (ownsClient) {
            // our own client has socket, connect and pool-wait timeouts equal to rate-limit.redis.timeout
            return run(keys, args);
        }
        // a shared client has its own (longer) timeouts: bound the wait here
        Future<List<?>> future = executor.submit(() -> run(keys, args));
        try {
            return future.get(config.redisTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RedisUnavailable("timeout after " + config.redisTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RedisUnavailable u ? u : new RedisUnavailable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new RedisUnavailable("interrupted");
        }
    }

    private List<?> run(List<String> keys, List<String> args) {
        try {
            Object reply;
            try {
                reply = jedis.evalsha(sha, keys, args);
            } catch (JedisNoScriptException e) {
                jedis.scriptLoad(SCRIPT);
                reply = jedis.evalsha(sha, keys, args);
            }
            if (reply instanceof List<?> list) {
                return list;
            }
            throw new RedisUnavailable("unexpected script reply");
        } catch (RedisUnavailable e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RedisUnavailable(e);
        }
    }

    private Decision fallback(List<Charge> charges, Health current, long now) {
        fallbacks.incrementAndGet();
        for (Charge charge : charges) {
            if (charge.policy().failure() == FailureMode.CLOSED) {
                metrics.fallback(FailureMode.CLOSED);
                Duration wait = Duration.ofNanos(Math.max(1_000_000_000L, current.nextProbe() - now));
                return new Decision(Decision.Outcome.UNAVAILABLE, List.of(), Optional.of(charge.policy().name()), wait,
                                    Decision.Source.FALLBACK);
            }
        }
        metrics.fallback(FailureMode.OPEN);
        return fallback.acquire(charges, Decision.Source.FALLBACK);
    }

    private static String script() {
        try (InputStream in = RedisRateLimiter.class.getResourceAsStream("gcra.lua")) {
            if (in == null) {
                throw new RateLimitException("gcra.lua is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RateLimitException("Cannot read gcra.lua", e);
        }
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new RateLimitException("SHA-1 is not available", e);
        }
    }

    /**
     * Whether Redis is in use, and if not since when, why, and when it is tried next.
     *
     * @param degraded  whether decisions fall back
     * @param since     nanos when it became degraded
     * @param nextProbe nanos when Redis is tried again
     * @param backoff   current backoff
     * @param reason    last failure, without internals
     */
    record Health(boolean degraded, long since, long nextProbe, Duration backoff, String reason) {
        static final Health UP = new Health(false, 0, 0, Duration.ZERO, "");

        static Health down(long now, Duration backoff, String reason) {
            return new Health(true, now, now + backoff.toNanos(), backoff, reason);
        }

        Health retryLater(long now, Duration max, String newReason) {
            Duration next = backoff.multipliedBy(2).compareTo(max) > 0 ? max : backoff.multipliedBy(2);
            return new Health(true, since, now + next.toNanos(), next, newReason);
        }
    }

    /** Redis failed or did not answer in time. */
    private static final class RedisUnavailable extends RuntimeException {
        RedisUnavailable(String reason) {
            super(reason, null, false, false);
        }

        RedisUnavailable(Throwable cause) {
            super(cause.getClass().getSimpleName(), cause, false, false);
        }

        String reason() {
            return getMessage();
        }
    }
}
