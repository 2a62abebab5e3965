package io.dharma.resilience;

import java.time.Duration;
import java.util.function.IntToLongFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
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
                                                                          Duration.ofSeconds(10), Duration.ofMillis(10),
                                                                          Duration.ofSeconds(1));

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
    void aLimitTheTrafficDoesNotUseNeitherGrowsNorShrinks() {
        VegasLimit limit = new VegasLimit(CONFIG, now);
        for (int i = 0; i < 300; i++) {
            now += 10 * MS;
            limit.sample(now - 2 * MS, 2 * MS, 3, now);
        }
        assertThat(limit.limit(), is(20));
        // three callers of a dependency that became slow: the service is not overloaded
        for (int i = 0; i < 300; i++) {
            now += 10 * MS;
            limit.sample(now - 500 * MS, 500 * MS, 3, now);
        }
        assertThat(limit.limit(), is(20));
    }

    @Test
    void latencyWithinTheToleratedDelayDoesNotShrinkTheLimit() {
        VegasLimit limit = new VegasLimit(CONFIG, now);
        run(limit, 3, concurrency -> 5 * MS);
        int before = limit.limit();
        // a busy CPU adds 9 ms to every request: below the tolerated 10 ms
        int lowest = run(limit, 3, concurrency -> 14 * MS);
        assertThat(lowest + " after " + before, lowest, greaterThanOrEqualTo(before));
        // 16 ms more is queueing
        assertThat(run(limit, 0.2, concurrency -> 21 * MS), lessThanOrEqualTo(limit.limit()));
        assertThat(limit.limit(), lessThan(lowest));
    }

    @Test
    void aHealthyServiceOutgrowsItsTrafficAndNeverProbes() {
        VegasLimit limit = new VegasLimit(CONFIG, now);
        // 60 requests in flight all the time, 5 ms each: the limit grows past twice that, then the windows are not busy
        boolean probed = false;
        for (int i = 0; i < 30 * 12_000; i++) {
            now += MS / 12;
            limit.sample(now - 5 * MS, 5 * MS, 60, now);
            probed |= limit.probing();
        }
        assertThat(limit.limit(), greaterThanOrEqualTo(120));
        assertThat("probed", probed, is(false));
    }

    @Test
    void probesTheUnloadedLatencyWithTheMinimumLimitWhenAlwaysBusy() {
        VegasLimit limit = new VegasLimit(CONFIG, now);
        run(limit, 1, concurrency -> 5 * MS);
        // the requests became slower (a new mix, 40 ms at any concurrency) while the service is busy all the time:
        // against the 5 ms baseline that looks like queueing, the limit falls to where the estimate stays below beta
        run(limit, 8.5, concurrency -> 40 * MS);
        assertThat(limit.limit(), lessThanOrEqualTo(6));
        for (int i = 0; i < 200 && !limit.probing(); i++) {
            now += 10 * MS;
            limit.sample(now - 40 * MS, 40 * MS, 4, now);
        }
        assertThat("a probe started at the end of the period", limit.probing(), is(true));
        assertThat(limit.limit(), is(4));
        // requests admitted before the probe are ignored
        long probeStart = now;
        now += 5 * MS;
        limit.sample(probeStart - 40 * MS, 45 * MS, 20, now);
        assertThat(limit.baseline() / MS, closeTo(5.0, 0.01));
        // requests admitted in the probe show the unloaded latency of the new mix
        for (int i = 0; i < VegasLimit.MIN_SAMPLES * 3; i++) {
            now += 10 * MS;
            limit.sample(now - 40 * MS, 40 * MS, 4, now);
        }
        assertThat(limit.probing(), is(false));
        assertThat(limit.baseline() / MS, is(40.0));
        run(limit, 2, concurrency -> 40 * MS);
        assertThat(limit.limit(), greaterThan(8));
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

    /**
     * Windows of 100 ms for {@code seconds}, each full of requests at the current limit taking {@code latency}.
     *
     * @return the lowest limit of the run
     */
    private int run(VegasLimit limit, double seconds, IntToLongFunction latency) {
        long end = now + (long) (seconds * 1_000 * MS);
        int lowest = limit.limit();
        while (now < end) {
            int concurrency = limit.limit();
            lowest = Math.min(lowest, concurrency);
            long rtt = latency.applyAsLong(concurrency);
            // a window of 100 ms completes about concurrency * 100 ms / rtt requests, at least one
            long completions = Math.max(1, concurrency * 100 * MS / rtt);
            long step = 100 * MS / completions;
            for (long i = 0; i < completions; i++) {
                now += step;
                limit.sample(now - rtt, rtt, concurrency, now);
            }
        }
        return Math.min(lowest, limit.limit());
    }
}
