package io.dharma.ratelimit;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.dharma.testing.RedisServer;
import io.dharma.testing.RequiresServices;

import io.helidon.health.HealthCheckResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

import static io.dharma.ratelimit.Fixtures.charge;
import static io.dharma.ratelimit.Fixtures.policy;
import static io.dharma.testing.RequiresServices.Service.REDIS;
import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/**
 * The Redis backend against a real Redis: the shared one at 127.0.0.1:6379 (keys under a random prefix) and, where
 * Redis must be stopped or its commands counted, a private redis-server.
 */
@RequiresServices({REDIS, REDIS_BINARIES})
class RedisRateLimiterIT {
    private static final String SHARED = "redis://127.0.0.1:6379";
    private final String prefix = "rltest:" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
            Set<String> keys = jedis.keys(prefix + "*");
            if (!keys.isEmpty()) {
                jedis.del(keys.toArray(String[]::new));
            }
        }
    }

    @Test
    void twoInstancesTogetherStayWithinTheBoundAndReachIt() throws Exception {
        // 100 per 4 s (T = 40 ms: a burst allowance of 4 s, so clients a loaded machine stalls find their units
        // when they come back), 16 clients on two instances with their own clients, about 3 s
        RateLimitConfig config = config(SHARED, "PT2S", "");
        RateLimiting first = track(RateLimiting.create(config, Optional.empty(), InstantSource.system()));
        RateLimiting second = track(RateLimiting.create(config, Optional.empty(), InstantSource.system()));
        Policy policy = policy("ip", 100, Duration.ofSeconds(4));
        AtomicLong admitted = new AtomicLong();
        AtomicLong attempts = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong stopAt = new AtomicLong();
        AtomicLong firstAsk = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastAsk = new AtomicLong();
        long start;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                RateLimiter limiter = (c % 2 == 0 ? first : second).limiter();
                futures.add(clients.submit(() -> {
                    // warm up: open this client's pooled connection and load the script before the window starts
                    limiter.acquire(List.of(charge(policy("warm-up", 1_000, Duration.ofSeconds(1)), "w")));
                    go.await();
                    firstAsk.accumulateAndGet(System.nanoTime(), Math::min);
                    long asked;
                    while ((asked = System.nanoTime()) < stopAt.get()) {
                        lastAsk.accumulateAndGet(asked, Math::max);
                        attempts.incrementAndGet();
                        if (limiter.acquire(List.of(charge(policy, "203.0.113.7"))).allowed()) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(500);
            start = redisMicros();
            stopAt.set(System.nanoTime() + Duration.ofSeconds(3).toNanos());
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        long end = redisMicros();
        double bound = 100 + 25 * ((end - start) / 1e6);
        // demand is continuous from the first request to the last one; a full bucket gains nothing before or after
        double lower = 100 + 25 * ((lastAsk.get() - firstAsk.get()) / 1e9);
        assertThat("no decision fell back", first.readinessCheck().call().details().get("fallbackDecisions"), is(0L));
        assertThat(second.readinessCheck().call().details().get("fallbackDecisions"), is(0L));
        assertThat(admitted.get(), lessThanOrEqualTo((long) Math.floor(bound)));
        assertThat((double) admitted.get(), greaterThanOrEqualTo(0.99 * Math.min(attempts.get(), lower)));
    }

    @Test
    void allOrNothingAcrossPoliciesInOneRoundTrip() {
        RateLimiter limiter = track(RateLimiting.create(config(SHARED, "PT1S", ""), Optional.empty(),
                                                        InstantSource.system())).limiter();
        assertAllOrNothing(limiter, WIDE_AND_NARROW);
    }

    /** Wide (5 a minute) and narrow (2 a minute) buckets of key "k", charged together by one request. */
    static final List<Charge> WIDE_AND_NARROW = List.of(charge(policy("wide", 5, Duration.ofMinutes(1)), "k"),
                                                        charge(policy("narrow", 2, Duration.ofMinutes(1)), "k"));

    /** The narrow bucket's denial of the third request leaves the wide one untouched: 3 more units, then denied. */
    static void assertAllOrNothing(RateLimiter limiter, List<Charge> wideAndNarrow) {
        assertThat(limiter.acquire(wideAndNarrow).source(), is(Decision.Source.REDIS));
        assertThat(limiter.acquire(wideAndNarrow).allowed(), is(true));
        Decision denied = limiter.acquire(wideAndNarrow);
        assertThat(denied.allowed(), is(false));
        assertThat(denied.source(), is(Decision.Source.REDIS));
        assertThat(denied.violated().orElseThrow(), is("narrow"));
        assertThat("the wide bucket was not charged", denied.states().getFirst().remaining(), is(3L));
        List<Charge> wide = List.of(wideAndNarrow.getFirst());
        for (int i = 0; i < 3; i++) {
            assertThat("unit " + (i + 3) + " of the wide bucket", limiter.acquire(wide).allowed(), is(true));
        }
        assertThat(limiter.acquire(wide).allowed(), is(false));
    }

    @Test
    void costAboveOneAndTierCapacities() {
        RateLimiter limiter = track(RateLimiting.create(config(SHARED, "PT1S", ""), Optional.empty(),
                                                        InstantSource.system())).limiter();
        Policy policy = policy("expensive", 10, Duration.ofSeconds(100));
        assertThat(limiter.acquire(List.of(charge(policy, "k", 4))).states().getFirst().remaining(), is(6L));
        assertThat(limiter.acquire(List.of(charge(policy, "k", 4))).states().getFirst().remaining(), is(2L));
        Decision denied = limiter.acquire(List.of(charge(policy, "k", 4)));
        assertThat(denied.allowed(), is(false));
        assertThat(denied.retryAfter().toSeconds(), allOf(greaterThanOrEqualTo(19L), lessThanOrEqualTo(20L)));
        assertThat(limiter.acquire(List.of(Charge.hashed(policy, "k2", 3, 1))).states().getFirst().quota(), is(3L));
    }

    @Test
    void keysAreHashedAndExpire() {
        RateLimiter limiter = track(RateLimiting.create(config(SHARED, "PT1S", ""), Optional.empty(),
                                                        InstantSource.system())).limiter();
        Policy policy = policy("ip", 100, Duration.ofMinutes(15));
        limiter.acquire(List.of(charge(policy, "ip=203.0.113.7|user=alice@example.com")));
        try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
            Set<String> keys = jedis.keys(prefix + "*");
            assertThat(keys.size(), is(1));
            String key = keys.iterator().next();
            assertThat(key, allOf(not(containsString("203.0.113.7")), not(containsString("alice"))));
            assertThat(key.length(), is(prefix.length() + "ip:".length() + 22));
            // one unit of 100 per 15 min refills in 9 s; TTL is that plus at most 1 s of jitter
            assertThat(jedis.pttl(key), allOf(greaterThan(8_000L), lessThanOrEqualTo(10_001L)));
        }
    }

    @Test
    void knownDenialsAreAnsweredWithoutARoundTrip() throws Exception {
        RedisServer redis = track(RedisServer.start());
        RateLimiter limiter = track(RateLimiting.create(config(redis.url(), "PT1S", ""), Optional.empty(),
                                                        InstantSource.system())).limiter();
        Policy policy = policy("ip", 2, Duration.ofHours(1));
        assertThat(limiter.acquire(List.of(charge(policy, "k"))).allowed(), is(true));
        assertThat(limiter.acquire(List.of(charge(policy, "k"))).allowed(), is(true));
        assertThat(limiter.acquire(List.of(charge(policy, "k"))).source(), is(Decision.Source.REDIS));
        long before = redis.commandCalls("evalsha");
        for (int i = 0; i < 50; i++) {
            Decision decision = limiter.acquire(List.of(charge(policy, "k")));
            assertThat(decision.allowed(), is(false));
            assertThat(decision.source(), is(Decision.Source.DENIAL_CACHE));
        }
        assertThat(redis.commandCalls("evalsha"), is(before));
        assertThat("other keys still go to Redis", limiter.acquire(List.of(charge(policy, "other"))).allowed(), is(true));
        assertThat(redis.commandCalls("evalsha"), is(before + 1));
    }

    @Test
    void redisDownFailsOpenThenRecovers() throws Exception {
        RedisServer redis = track(RedisServer.start());
        RateLimiting limiting = track(RateLimiting.create(config(redis.url(), "PT0.2S", ""), Optional.empty(),
                                                          InstantSource.system()));
        RateLimitMetrics metrics = new RateLimitMetrics();
        Policy policy = policy("ip", 1_000, Duration.ofHours(1));
        assertThat(limiting.limiter().acquire(List.of(charge(policy, "k"))).source(), is(Decision.Source.REDIS));
        assertThat(limiting.readinessCheck().call().details().get("state"), is("ok"));

        redis.stop();
        double fallbacksBefore = metrics.count("ratelimit.fallback", "mode", "open");
        for (int i = 0; i < 20; i++) {
            Decision decision = limiting.limiter().acquire(List.of(charge(policy, "k")));
            assertThat(decision.allowed(), is(true));
            assertThat(decision.source(), is(Decision.Source.FALLBACK));
        }
        HealthCheckResponse health = limiting.readinessCheck().call();
        assertThat(health.status(), is(HealthCheckResponse.Status.UP));
        assertThat(health.details().get("state"), is("degraded"));
        assertThat(limiting.degraded(), is(true));
        assertThat(metrics.count("ratelimit.fallback", "mode", "open") - fallbacksBefore, is(20.0));

        redis.restart();   // empty: the script is loaded again after NOSCRIPT
        Decision.Source source = Decision.Source.FALLBACK;
        for (int i = 0; i < 200 && source != Decision.Source.REDIS; i++) {
            Thread.sleep(20);
            source = limiting.limiter().acquire(List.of(charge(policy, "k"))).source();
        }
        assertThat(source, is(Decision.Source.REDIS));
        assertThat(limiting.readinessCheck().call().details().get("state"), is("ok"));
    }

    @Test
    void failClosedPolicyIsUnavailableWhileRedisIsDown() throws Exception {
        RedisServer redis = track(RedisServer.start());
        RateLimiting limiting = track(RateLimiting.create(config(redis.url(), "PT0.2S", ""), Optional.empty(),
                                                          InstantSource.system()));
        redis.stop();
        Policy open = policy("ip", 100, Duration.ofMinutes(1));
        Policy closed = policy("strict", 100, Duration.ofMinutes(1), FailureMode.CLOSED);
        Decision decision = limiting.limiter().acquire(List.of(charge(open, "k"), charge(closed, "k")));
        assertThat(decision.outcome(), is(Decision.Outcome.UNAVAILABLE));
        assertThat(decision.violated().orElseThrow(), is("strict"));
        assertThat(decision.retryAfter().toSeconds(), greaterThanOrEqualTo(1L));
        assertThat(limiting.limiter().acquire(List.of(charge(open, "k"))).allowed(), is(true));
    }

    @Test
    void sharedClientIsBoundedByTheTimeoutAndNotClosed() {
        JedisPooled shared = track(new JedisPooled("127.0.0.1", 6379));
        RateLimiting limiting = RateLimiting.create(config(SHARED, "PT1S", ""), Optional.of(shared),
                                                    InstantSource.system());
        assertThat(limiting.limiter().acquire(List.of(charge(policy("ip", 5, Duration.ofMinutes(1)), "k"))).source(),
                   is(Decision.Source.REDIS));
        limiting.close();
        assertThat(shared.ping(), is("PONG"));
    }

    private RateLimitConfig config(String url, String timeout, String extra) {
        return Fixtures.redis(url, timeout, prefix, extra);
    }

    private static long redisMicros() {
        try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
            List<String> time = jedis.time();
            return Long.parseLong(time.get(0)) * 1_000_000L + Long.parseLong(time.get(1));
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }
}
