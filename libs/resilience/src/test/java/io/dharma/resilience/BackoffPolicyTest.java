package io.dharma.resilience;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Delays between attempts: exponential, capped, jittered within [half, all], and none after the last attempt. */
class BackoffPolicyTest {
    private static final DownstreamConfig.Retry RETRY = new DownstreamConfig.Retry(
            6, Duration.ofMillis(100), Duration.ofMillis(500), false, Duration.ofSeconds(10));

    @Test
    void delaysDoubleUpToTheCap() {
        BackoffPolicy policy = new BackoffPolicy(RETRY, () -> 0.5);
        assertThat(policy.nextDelayMillis(0, 0, 1), is(Optional.of(100L)));
        assertThat(policy.nextDelayMillis(0, 0, 2), is(Optional.of(200L)));
        assertThat(policy.nextDelayMillis(0, 0, 3), is(Optional.of(400L)));
        assertThat(policy.nextDelayMillis(0, 0, 4), is(Optional.of(500L)));
        assertThat(policy.nextDelayMillis(0, 0, 5), is(Optional.of(500L)));
    }

    @Test
    void noDelayAfterTheLastAttempt() {
        BackoffPolicy policy = new BackoffPolicy(RETRY, () -> 0.5);
        assertThat(policy.nextDelayMillis(0, 0, 6), is(Optional.empty()));
        BackoffPolicy once = new BackoffPolicy(new DownstreamConfig.Retry(1, Duration.ZERO, Duration.ZERO, true,
                                                                          Duration.ofSeconds(1)), () -> 0.5);
        assertThat(once.nextDelayMillis(0, 0, 1), is(Optional.empty()));
    }

    @Test
    void jitterStaysBetweenHalfAndAllOfTheDelay() {
        DownstreamConfig.Retry jittered = new DownstreamConfig.Retry(6, Duration.ofMillis(100), Duration.ofMillis(500), true,
                                                                     Duration.ofSeconds(10));
        assertThat(new BackoffPolicy(jittered, () -> 0.0).nextDelayMillis(0, 0, 2), is(Optional.of(100L)));
        assertThat(new BackoffPolicy(jittered, () -> 0.999_999).nextDelayMillis(0, 0, 2), is(Optional.of(200L)));
        assertThat(new BackoffPolicy(jittered, () -> 0.999_999).nextDelayMillis(0, 0, 9_999), is(Optional.empty()));
        assertThat(new BackoffPolicy(jittered, () -> 0.5).nextDelayMillis(0, 0, 5), is(Optional.of(375L)));
    }

    @Test
    void hugeAttemptCountsDoNotOverflow() {
        DownstreamConfig.Retry many = new DownstreamConfig.Retry(1_000, Duration.ofMillis(100), Duration.ofSeconds(30), false,
                                                                 Duration.ofMinutes(10));
        assertThat(new BackoffPolicy(many, () -> 0.5).nextDelayMillis(0, 0, 999), is(Optional.of(30_000L)));
    }
}
