package io.dharma.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.dharma.testing.FakeClock;

import org.junit.jupiter.api.Test;

import static io.dharma.ratelimit.Fixtures.charge;
import static io.dharma.ratelimit.Fixtures.policy;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The in-process backend with a fake clock: burst and refill, the accuracy guarantee under concurrency, all-or-nothing
 * across policies, costs above 1, and eviction of idle buckets.
 */
class LocalRateLimiterTest {
    private final FakeClock clock = new FakeClock();
    private final LocalRateLimiter limiter = new LocalRateLimiter(clock, 1_000);

    @Test
    void burstThenRefillAtTheRate() {
        Policy policy = policy("ip", 10, Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            Decision decision = limiter.acquire(List.of(charge(policy, "a")));
            assertThat(decision.allowed(), is(true));
            assertThat(decision.states().getFirst().remaining(), is(9L - i));
        }
        Decision denied = limiter.acquire(List.of(charge(policy, "a")));
        assertThat(denied.outcome(), is(Decision.Outcome.DENIED));
        assertThat(denied.violated().orElseThrow(), is("ip"));
        assertThat(denied.retryAfter(), is(Duration.ofSeconds(1)));
        assertThat(denied.states().getFirst().resetSeconds(), is(10L));
        assertThat("another key has its own bucket", limiter.acquire(List.of(charge(policy, "b"))).allowed(), is(true));

        clock.advance(Duration.ofMillis(999));
        assertThat(limiter.acquire(List.of(charge(policy, "a"))).allowed(), is(false));
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.acquire(List.of(charge(policy, "a"))).allowed(), is(true));
        assertThat(limiter.acquire(List.of(charge(policy, "a"))).allowed(), is(false));
    }

    @Test
    void admissionsStayWithinCapacityPlusRateTimesTimeAndReachIt() throws Exception {
        // 50 per second: T = 20 ms; 16 clients, 48,000 attempts spread over 3 s of fake time
        Policy policy = policy("ip", 50, Duration.ofSeconds(1));
        long start = clock.nanoTime() / 1_000;
        AtomicLong admitted = new AtomicLong();
        AtomicLong attempts = new AtomicLong();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                futures.add(clients.submit(() -> {
                    for (int i = 0; i < 3_000; i++) {
                        attempts.incrementAndGet();
                        if (limiter.acquire(List.of(charge(policy, "one-key"))).allowed()) {
                            admitted.incrementAndGet();
                        }
                        clock.advance(Duration.ofNanos(62_500));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        double seconds = (clock.nanoTime() / 1_000 - start) / 1e6;
        double bound = 50 + 50 * seconds;
        assertThat(admitted.get(), lessThanOrEqualTo((long) Math.floor(bound)));
        assertThat((double) admitted.get(), greaterThanOrEqualTo(0.99 * Math.min(attempts.get(), bound)));
    }

    @Test
    void concurrentRequestsLeaveExactlyWhatTheyWereAdmittedFor() throws Exception {
        // no time passes: every unit taken is one admission, and every refused request gave back what it took
        Policy wide = policy("wide", 100, Duration.ofMinutes(1));
        Policy narrow = policy("narrow", 30, Duration.ofMinutes(1));
        List<Charge> both = List.of(charge(wide, "w"), charge(narrow, "n"));
        List<Charge> wideOnly = List.of(charge(wide, "w"));
        AtomicLong admittedBoth = new AtomicLong();
        AtomicLong admittedWide = new AtomicLong();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                futures.add(clients.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        if (limiter.acquire(both).allowed()) {
                            admittedBoth.incrementAndGet();
                        }
                        if (i % 4 == 0 && limiter.acquire(wideOnly).allowed()) {
                            admittedWide.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(admittedBoth.get(), lessThanOrEqualTo(30L));
        long left = 0;
        while (limiter.acquire(wideOnly).allowed()) {
            left++;
        }
        assertThat("units of the wide bucket: admitted + left", admittedBoth.get() + admittedWide.get() + left, is(100L));
        long narrowLeft = 0;
        while (limiter.acquire(List.of(charge(narrow, "n"))).allowed()) {
            narrowLeft++;
        }
        assertThat("units of the narrow bucket: admitted + left", admittedBoth.get() + narrowLeft, is(30L));
    }

    @Test
    void allOrNothingAcrossPolicies() {
        Policy wide = policy("wide", 5, Duration.ofMinutes(1));
        Policy narrow = policy("narrow", 2, Duration.ofMinutes(1));
        List<Charge> both = List.of(charge(wide, "k"), charge(narrow, "k"));
        assertThat(limiter.acquire(both).allowed(), is(true));
        assertThat(limiter.acquire(both).allowed(), is(true));
        Decision denied = limiter.acquire(both);
        assertThat(denied.allowed(), is(false));
        assertThat(denied.violated().orElseThrow(), is("narrow"));
        assertThat("the wide bucket was not charged", denied.states().getFirst().remaining(), is(3L));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(List.of(charge(wide, "k"))).allowed(), is(true));
        }
        assertThat(limiter.acquire(List.of(charge(wide, "k"))).allowed(), is(false));
    }

    @Test
    void costAboveOneTakesSeveralUnits() {
        Policy policy = policy("expensive", 10, Duration.ofSeconds(10));
        assertThat(limiter.acquire(List.of(charge(policy, "k", 4))).states().getFirst().remaining(), is(6L));
        assertThat(limiter.acquire(List.of(charge(policy, "k", 4))).states().getFirst().remaining(), is(2L));
        Decision denied = limiter.acquire(List.of(charge(policy, "k", 4)));
        assertThat(denied.allowed(), is(false));
        assertThat("two more units are needed", denied.retryAfter(), is(Duration.ofSeconds(2)));
        assertThat(limiter.acquire(List.of(charge(policy, "k", 2))).allowed(), is(true));
    }

    @Test
    void tierCapacityDecidesTheBucketSize() {
        Policy policy = Fixtures.config("""
                rate-limit:
                  policies:
                    user: {key: user, period: PT1H, per-tier: {free: 3, enterprise: 6}}
                """).policy("user").orElseThrow();
        for (int i = 0; i < 6; i++) {
            boolean free = limiter.acquire(List.of(Charge.hashed(policy, "free-user",
                                                                 policy.capacity("FREE"), 1)))
                    .allowed();
            boolean enterprise = limiter.acquire(List.of(Charge.hashed(policy, "enterprise-user",
                                                        policy.capacity("ENTERPRISE"), 1)))
                    .allowed();
            assertThat(free, is(i < 3));
            assertThat(enterprise, is(true));
        }
    }

    @Test
    void idleBucketsAreSweptAway() {
        Policy policy = policy("ip", 10, Duration.ofSeconds(10));
        for (int i = 0; i < 100; i++) {
            limiter.acquire(List.of(charge(policy, "client-" + i)));
        }
        assertThat(limiter.size(), is(100));
        clock.advance(Duration.ofMillis(999));
        limiter.sweep(clock.nanoTime() / 1_000);
        assertThat("a bucket with one unit used refills in 1 s", limiter.size(), is(100));
        clock.advance(Duration.ofMillis(1));
        limiter.sweep(clock.nanoTime() / 1_000);
        assertThat(limiter.size(), is(0));
    }
}
