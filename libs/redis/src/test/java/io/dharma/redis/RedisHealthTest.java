package io.dharma.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.dharma.testing.FakeClock;
import io.dharma.testing.Meters;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RedisHealthTest {
    private final FakeClock clock = new FakeClock();
    private final long start = clock.nanoTime();
    private final String user = "test-" + System.nanoTime();
    private final RedisHealth health = new RedisHealth(user, Duration.ofMillis(20), Duration.ofMillis(70), clock::nanoTime);

    @Test
    void theFirstFailureStartsTheOutageAndOnlyIt() {
        assertThat(health.up(), is(true));
        assertThat(health.failed("refused"), is(true));
        assertThat(health.failed("refused again"), is(false));
        assertThat(health.up(), is(false));
        RedisHealth.Outage outage = health.outage().orElseThrow();
        assertThat(outage.since(), is(start));
        assertThat(outage.reason(), is("refused"));
        assertThat("counted once", outages(), is(1L));
    }

    private long outages() {
        return (long) Meters.counter("redis.outages", "user", user);
    }

    @Test
    void oneProbeAtATimeAfterADoublingBackoffUpToTheMaximum() {
        health.failed("refused");
        assertThat("not before the first backoff", health.tryProbe(), is(false));
        assertThat(health.untilProbe(), is(Duration.ofMillis(20)));
        for (long backoff : new long[] {20, 40, 70, 70}) {
            clock.advance(Duration.ofMillis(backoff).minusNanos(1));
            assertThat("not before " + backoff + " ms", health.tryProbe(), is(false));
            clock.advance(Duration.ofNanos(1));
            assertThat("due after " + backoff + " ms", health.tryProbe(), is(true));
            assertThat("one probe at a time", health.tryProbe(), is(false));
            health.probeFailed("still refused");
        }
        assertThat(health.outage().orElseThrow().backoff(), is(Duration.ofMillis(70)));
        assertThat("since the first failure", health.outage().orElseThrow().since(), is(start));
    }

    @Test
    void aSuccessfulProbeEndsTheOutageAndTellsItsLength() {
        health.failed("refused");
        clock.advance(Duration.ofMillis(25));
        assertThat(health.tryProbe(), is(true));
        assertThat(health.recovered(), is(Optional.of(Duration.ofMillis(25))));
        assertThat(health.up(), is(true));
        assertThat(health.tryProbe(), is(false));
        assertThat("a new outage probes after the first backoff again", health.failed("reset"), is(true));
        assertThat(health.outage().orElseThrow().backoff(), is(Duration.ofMillis(20)));
        assertThat(health.recovered().isPresent(), is(true));
        assertThat("nothing to recover from", health.recovered(), is(Optional.empty()));
        assertThat("two outages", outages(), is(2L));
    }

    @Test
    void callsAreBoundedByTheTimeoutAndFailuresDescribed() {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            assertThat(RedisHealth.within(executor, Duration.ofSeconds(1), () -> "PONG"), is("PONG"));
            RedisUnavailable slow = assertThrows(RedisUnavailable.class, () -> RedisHealth.within(
                    executor, Duration.ofMillis(20), () -> {
                        Thread.sleep(5_000);
                        return "late";
                    }));
            assertThat(slow.reason(), is("no answer within 20 ms"));
            assertThat(slow.callerInterrupted(), is(false));
            RedisUnavailable failed = assertThrows(RedisUnavailable.class, () -> RedisHealth.within(
                    executor, Duration.ofSeconds(1), () -> {
                        throw new IllegalStateException("connection reset");
                    }));
            assertThat(failed.reason(), is("IllegalStateException: connection reset"));
        }
    }

    @Test
    void aClosedExecutorAnInterruptedCallerAndAnUnavailableCallAreEachTheirOwnFailure() {
        ExecutorService closed = Executors.newVirtualThreadPerTaskExecutor();
        closed.close();
        assertThat(assertThrows(RedisUnavailable.class,
                                () -> RedisHealth.within(closed, Duration.ofSeconds(1), () -> "PONG")).reason(),
                   is("closed"));
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            RedisUnavailable own = new RedisUnavailable("pool exhausted");
            assertThat("passed on as it is", assertThrows(RedisUnavailable.class, () -> RedisHealth.within(
                    executor, Duration.ofSeconds(1), () -> {
                        throw own;
                    })), is(own));
            Thread.currentThread().interrupt();
            RedisUnavailable interrupted = assertThrows(RedisUnavailable.class, () -> RedisHealth.within(
                    executor, Duration.ofSeconds(5), () -> {
                        Thread.sleep(5_000);
                        return "late";
                    }));
            assertThat(interrupted.callerInterrupted(), is(true));
            assertThat("the interrupt is kept", Thread.interrupted(), is(true));
        }
    }

    @Test
    void aFailureWithoutAMessageIsDescribedByItsType() {
        assertThat(RedisHealth.describe(new IllegalStateException()), is("IllegalStateException"));
    }

    @Test
    void theWaitForTheNextProbeCountsDown() {
        assertThat("no outage", health.untilProbe(), is(Duration.ZERO));
        health.failed("refused");
        clock.advance(Duration.ofMillis(15));
        assertThat(health.untilProbe(), is(Duration.ofMillis(5)));
        clock.advance(Duration.ofMillis(10));
        assertThat("overdue", health.untilProbe(), is(Duration.ZERO));
        health.recovered();
        health.probeFailed("a late probe after the outage ended changes nothing");
        assertThat(health.up(), is(true));
    }
}
