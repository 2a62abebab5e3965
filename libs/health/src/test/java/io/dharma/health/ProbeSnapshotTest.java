package io.dharma.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.dharma.testing.FakeClock;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Probes are served from a snapshot: whatever the number of callers, a probe's checks run at most once per
 * {@code health.cache-ttl}, and callers during an evaluation share it.
 */
class ProbeSnapshotTest {
    private static final Duration TTL = Duration.ofSeconds(1);

    private final FakeClock clock = new FakeClock();
    private final Probes probes = Probes.create(new HealthConfig("/health", Duration.ofSeconds(5), TTL, true), clock::instant);

    @Test
    void checksRunAtMostOncePerTtl() {
        Counting ready = new Counting(HealthCheckType.READINESS, new CountDownLatch(0));
        Counting live = new Counting(HealthCheckType.LIVENESS, new CountDownLatch(0));
        probes.add(ready).add(live);
        probes.markStarted();
        for (int i = 0; i < 100; i++) {
            probes.run(HealthCheckType.READINESS);
            probes.run(HealthCheckType.LIVENESS);
        }
        assertThat(ready.calls.get(), is(1));
        assertThat(live.calls.get(), is(1));

        clock.advance(TTL.minusMillis(1));
        probes.run(HealthCheckType.READINESS);
        assertThat(ready.calls.get(), is(1));
        clock.advance(Duration.ofMillis(1));
        for (int i = 0; i < 100; i++) {
            probes.run(HealthCheckType.READINESS);
        }
        assertThat(ready.calls.get(), is(2));
        assertThat(live.calls.get(), is(1));
    }

    @Test
    void concurrentCallersShareOneEvaluation() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Counting ready = new Counting(HealthCheckType.READINESS, release);
        probes.add(ready);
        probes.markStarted();
        List<Thread> callers = new ArrayList<>();
        AtomicInteger up = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            Thread caller = Thread.ofPlatform().start(() -> {
                if (probes.run(HealthCheckType.READINESS).stream().allMatch(CheckResult::up)) {
                    up.incrementAndGet();
                }
            });
            callers.add(caller);
        }
        // every caller is parked: one inside the check's evaluation, the others waiting for it
        awaitParked(callers);
        release.countDown();
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(ready.calls.get(), is(1));
        assertThat(up.get(), is(20));
    }

    @Test
    void lifecycleFlagsAreNotCached() {
        probes.markStarted();
        assertThat(probes.run(HealthCheckType.READINESS).stream().allMatch(CheckResult::up), is(true));
        probes.markDraining();
        assertThat(probes.run(HealthCheckType.READINESS).stream().allMatch(CheckResult::up), is(false));
    }

    private static void awaitParked(List<Thread> threads) throws InterruptedException {
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING)) {
            Thread.sleep(5);
        }
    }

    /** A real check that counts its evaluations and waits for a latch before answering UP. */
    private static final class Counting implements HealthCheck {
        private final AtomicInteger calls = new AtomicInteger();
        private final HealthCheckType type;
        private final CountDownLatch release;

        Counting(HealthCheckType type, CountDownLatch release) {
            this.type = type;
            this.release = release;
        }

        @Override
        public HealthCheckType type() {
            return type;
        }

        @Override
        public String name() {
            return "counting-" + type.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public HealthCheckResponse call() {
            calls.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HealthCheckResponse.builder().status(true).build();
        }
    }
}
