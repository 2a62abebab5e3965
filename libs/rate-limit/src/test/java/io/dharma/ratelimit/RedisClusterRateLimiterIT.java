package io.dharma.ratelimit;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.dharma.redis.Redis;
import io.dharma.testing.RedisCluster;
import io.dharma.testing.RequiresServices;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.dharma.ratelimit.Fixtures.charge;
import static io.dharma.ratelimit.Fixtures.policy;
import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/**
 * The Redis backend on a real local Redis Cluster (three primaries, three replicas): a request whose buckets live in
 * different hash slots is decided slot by slot, all or nothing, within the same bounds as on one server, and a killed
 * primary means fallback until its replica serves the slot, then shared limits again without a restart.
 */
@RequiresServices(REDIS_BINARIES)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisClusterRateLimiterIT {
    private static RedisCluster cluster;
    private final String prefix = "rltest:" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void bucketsInDifferentSlotsAreAllOrNothing() {
        RateLimiter limiter = track(RateLimiting.create(config(cluster.url()), Optional.empty(),
                                                        InstantSource.system())).limiter();
        List<Charge> both = RedisRateLimiterIT.WIDE_AND_NARROW;
        assertThat("the two buckets are in different slots", slot(both.get(0)), is(not(slot(both.get(1)))));
        // the wide bucket's slot is asked first and takes a unit; the narrow slot's denial gives it back
        RedisRateLimiterIT.assertAllOrNothing(limiter, both);
    }

    @Test
    void twoInstancesTogetherStayWithinTheBoundAcrossSlots() throws Exception {
        // an address bucket of 100 per 4 s and a user bucket that never denies, in different slots: two round trips
        // per request, 16 clients on two instances with their own cluster clients, about 3 s
        RateLimitConfig config = config(cluster.url());
        RateLimiting first = track(RateLimiting.create(config, Optional.empty(), InstantSource.system()));
        RateLimiting second = track(RateLimiting.create(config, Optional.empty(), InstantSource.system()));
        Policy ip = policy("ip", 100, Duration.ofSeconds(4));
        Policy user = policy("user", 30_000, Duration.ofSeconds(4));
        List<Charge> charges = List.of(charge(ip, "203.0.113.7"), charge(user, "u-1"));
        assertThat("the two buckets are in different slots", slot(charges.get(0)), is(not(slot(charges.get(1)))));
        AtomicLong admitted = new AtomicLong();
        AtomicLong attempts = new AtomicLong();
        AtomicLong firstAsk = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastAsk = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        long stopAt;
        long start;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            stopAt = System.nanoTime() + Duration.ofMillis(3_500).toNanos();
            for (int c = 0; c < 16; c++) {
                RateLimiter limiter = (c % 2 == 0 ? first : second).limiter();
                long end = stopAt;
                futures.add(clients.submit(() -> {
                    // warm up: open this client's connections and load the script on every primary
                    for (int k = 0; k < 8; k++) {
                        limiter.acquire(List.of(charge(policy("warm-up", 1_000, Duration.ofSeconds(1)), "w" + k)));
                    }
                    go.await();
                    firstAsk.accumulateAndGet(System.nanoTime(), Math::min);
                    long asked;
                    while ((asked = System.nanoTime()) < end) {
                        lastAsk.accumulateAndGet(asked, Math::max);
                        attempts.incrementAndGet();
                        if (limiter.acquire(charges).allowed()) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(500);
            start = System.nanoTime();
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double bound = 100 + 25 * seconds;
        double lower = 100 + 25 * ((lastAsk.get() - firstAsk.get()) / 1e9);
        System.out.printf("Redis Cluster, two slots per request: %d attempts, %d admitted in %.2f s (bound %.0f)%n",
                          attempts.get(), admitted.get(), seconds, bound);
        assertThat("no decision fell back", first.readinessCheck().call().details().get("fallbackDecisions"), is(0L));
        assertThat(second.readinessCheck().call().details().get("fallbackDecisions"), is(0L));
        assertThat(admitted.get(), lessThanOrEqualTo((long) Math.floor(bound)));
        assertThat((double) admitted.get(), greaterThanOrEqualTo(0.99 * Math.min(attempts.get(), lower)));
    }

    @Test
    void aKilledPrimaryMeansFallbackUntilItsReplicaServesTheSlot() throws Exception {
        try (RedisCluster own = RedisCluster.start()) {
            // retries of a request end within the 200 ms timeout, long before the node timeout (1 s) ends the outage
            RateLimiting limiting = track(RateLimiting.create(config(own.url(), "PT0.2S"), Optional.empty(),
                                                              InstantSource.system()));
            Policy policy = policy("ip", 1_000_000, Duration.ofHours(1));
            List<Charge> charges = List.of(charge(policy, "k"));
            assertThat(limiting.limiter().acquire(charges).source(), is(Decision.Source.REDIS));

            int primary = own.primaryOf(prefix + charges.getFirst().bucket());
            own.kill(primary);
            Decision during = limiting.limiter().acquire(charges);
            assertThat(during.allowed(), is(true));
            assertThat(during.source(), is(Decision.Source.FALLBACK));
            assertThat(limiting.readinessCheck().call().details().get("state"), is("degraded"));

            // the replica is promoted after the node timeout; it has no scripts (SCRIPT LOAD is not replicated)
            own.awaitHealthy();
            assertThat(own.primaryOf(prefix + charges.getFirst().bucket()), is(not(primary)));
            long healed = System.nanoTime();
            Decision.Source source = Decision.Source.FALLBACK;
            while (source != Decision.Source.REDIS && System.nanoTime() - healed < Duration.ofSeconds(20).toNanos()) {
                Thread.sleep(20);
                source = limiting.limiter().acquire(charges).source();
            }
            System.out.printf("Redis Cluster failover: shared limits again %d ms after the replica took over%n",
                              (System.nanoTime() - healed) / 1_000_000);
            assertThat(source, is(Decision.Source.REDIS));
            assertThat(limiting.readinessCheck().call().details().get("state"), is("ok"));
        }
    }

    private int slot(Charge charge) {
        return Redis.slot(prefix + charge.bucket());
    }

    private RateLimitConfig config(String url) {
        return config(url, "PT0.5S");
    }

    private RateLimitConfig config(String url, String timeout) {
        return Fixtures.redis(url, timeout, prefix, "");
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }
}
