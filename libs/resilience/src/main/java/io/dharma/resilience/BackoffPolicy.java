package io.dharma.resilience;

import java.util.Optional;
import java.util.function.DoubleSupplier;

import io.helidon.faulttolerance.Retry;

/**
 * Exponential backoff with a cap and optional jitter, for Helidon's {@link Retry}: the n-th retry waits
 * {@code min(delay * 2^(n-1), maxDelay)}, with jitter a random time in {@code [half of that, all of it]}, so clients
 * that failed together do not retry together, yet none retries at once. After {@code attempts} calls in total there is
 * no next delay and the retry gives up.
 */
final class BackoffPolicy implements Retry.RetryPolicy {
    private final int attempts;
    private final long delayMillis;
    private final long maxDelayMillis;
    private final boolean jitter;
    // uniform in [0, 1); injected so tests can pin it
    private final DoubleSupplier random;

    BackoffPolicy(DownstreamConfig.Retry config, DoubleSupplier random) {
        this.attempts = config.attempts();
        this.delayMillis = config.delay().toMillis();
        this.maxDelayMillis = config.maxDelay().toMillis();
        this.jitter = config.jitter();
        this.random = random;
    }

    /**
     * Delay before the next attempt.
     *
     * @param firstCallMillis unused
     * @param lastDelay       unused, the delay follows from the retry number alone
     * @param call            how many attempts have failed so far (1 after the first)
     * @return delay in milliseconds, empty when no attempt is left
     */
    @Override
    public Optional<Long> nextDelayMillis(long firstCallMillis, long lastDelay, int call) {
        if (call >= attempts) {
            return Optional.empty();
        }
        // 2^(call-1), without overflow for any number of attempts
        long capped = delayMillis;
        for (int i = 1; i < call && capped < maxDelayMillis; i++) {
            capped *= 2;
        }
        capped = Math.min(capped, maxDelayMillis);
        if (!jitter) {
            return Optional.of(capped);
        }
        long half = capped / 2;
        return Optional.of(half + (long) (random.getAsDouble() * (capped - half + 1)));
    }
}
