package io.dharma.resilience;

import java.time.Duration;
import java.util.function.IntToLongFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The Vegas limit against simulated servers on a fake clock: each simulated window admits requests at the current
 * limit and reports the latency the server would have at that concurrency.
 */
@Timeout(10)
class VegasLimitTest {
    private static final long MS = 1_000_000L;
    private static final ConcurrencyConfig CONFIG = new ConcurrencyConfig(true, ConcurrencyConfig.Algorithm.VEGAS, 20, 4,
                                                                          500, Duration.ofMillis(100),
                                                                          Duration.ofSeconds(10), Duration.ofSeconds(1));

    private long now = 1_000 * MS;

    @Test
    void growsWhileLatencyStaysAtItsUnloadedValue() {
        VegasLimit limit = new VegasLimit(CONFIG, now);
        // an I/O-bound server: 5 ms whatever the concurrency
        run(limit, 3, concurrency -> 5 * MS);
        assertThat(limit.limit(), greaterThan(100));
    }

    @Test
    void settlesNearTheConcurrencyTheServerCanWorkOnSoLatencyStaysNearUnloaded() {
        VegasLimit limit = new VegasLimit(CONFIG, now);
        // a CPU-bound server: 4 requests at once take 5 ms each; more share the CPUs and take proportionally longer
        IntToLongFunction cpuBound = concurrency -> Math.max(5 * MS, concurrency * 5 * MS / 4);
        run(limit, 30, cpuBound);
        assertThat("limit " + limit.limit(), limit.limit(), lessThanOrEqualTo(16));
        assertThat("latency at the limit, ms", cpuBound.applyAsLong(limit.limit()) / MS, lessThanOrEqualTo(20L));
        assertThat(limit.baseline() / MS, is(5.0));
    }

    @Test
    void shrinksAtOnceWhenLatencyJumps() {
        VegasLimit limit = new VegasLimit(CONFIG, now);
        run(limit, 3, concurrency -> 5 * MS);
        int before = limit.limit();
        // the same concurrency now takes ten times as long: requests queue
        run(limit, 0.1, concurrency -> 50 * MS);
        // one window: half-way down to the requests not queueing
        assertThat(limit.limit() + " after " + before, limit.limit(), lessThanOrEqualTo(before * 6 / 10));
    }

    @Test
    void doesNotGrowWhileTheLimitIsNotUsed() {
        VegasLimit limit = new VegasLimit(CONFIG, now);
        for (int i = 0; i < 300; i++) {
            now += 10 * MS;
            limit.sample(now - 2 * MS, 2 * MS, 3, now);
        }
        assertThat(limit.limit(), is(20));
    }

    @Test
    void probesTheUnloadedLatencyWithTheMinimumLimitWhenAlwaysBusy() {
        VegasLimit limit = new VegasLimit(CONFIG, now);
        // busy from the start at 20 ms: the first window takes that for the unloaded latency
        run(limit, 10.05, concurrency -> 20 * MS);
        assertThat(limit.probing(), is(true));
        assertThat(limit.limit(), is(4));
        int restored = limit.limit();
        // requests admitted before the probe finish late: ignored
        long probeStart = now;
        now += 5 * MS;
        limit.sample(probeStart - 20 * MS, 25 * MS, 20, now);
        assertThat(limit.baseline() / MS, closeTo(20.0, 0.01));
        // requests admitted in the probe show the unloaded latency
        for (int i = 0; i < VegasLimit.MIN_SAMPLES * 3; i++) {
            now += 5 * MS;
            limit.sample(now - 4 * MS, 4 * MS, 4, now);
        }
        assertThat(limit.probing(), is(false));
        assertThat(limit.baseline() / MS, is(4.0));
        assertThat(limit.limit(), greaterThan(restored));
    }

    @Test
    void aSlowerMixSeenWhileNotBusyRaisesTheBaseline() {
        VegasLimit limit = new VegasLimit(CONFIG, now);
        run(limit, 1, concurrency -> 2 * MS);
        assertThat(limit.baseline() / MS, is(2.0));
        // the requests became slower (a new mix), the service is not busy: once a whole probe interval
        // saw only them, they are the baseline
        for (int i = 0; i < 2100; i++) {
            now += 10 * MS;
            limit.sample(now - 8 * MS, 8 * MS, 2, now);
        }
        assertThat(limit.baseline() / MS, is(8.0));
        assertThat(limit.probing(), is(false));
    }

    /** Windows of 100 ms for {@code seconds}, each full of requests at the current limit taking {@code latency}. */
    private void run(VegasLimit limit, double seconds, IntToLongFunction latency) {
        long end = now + (long) (seconds * 1_000 * MS);
        while (now < end) {
            int concurrency = limit.limit();
            long rtt = latency.applyAsLong(concurrency);
            // a window of 100 ms completes about concurrency * 100 ms / rtt requests, at least one
            long completions = Math.max(1, concurrency * 100 * MS / rtt);
            long step = 100 * MS / completions;
            for (long i = 0; i < completions; i++) {
                now += step;
                limit.sample(now - rtt, rtt, concurrency, now);
            }
        }
    }
}
