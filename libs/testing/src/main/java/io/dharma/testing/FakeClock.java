package io.dharma.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that only moves when told, safe to read and advance from many threads: an {@link InstantSource} for code
 * that takes one, and {@link #nanoTime()} for code that takes a {@code System::nanoTime}-like supplier (a Caffeine
 * {@code Ticker} is {@code clock::nanoTime}). Both read the same time, which starts at 2023-11-14T22:13:20Z.
 */
public final class FakeClock implements InstantSource {
    private final AtomicLong nanos = new AtomicLong(1_700_000_000_000_000_000L);

    @Override
    public Instant instant() {
        long now = nanos.get();
        return Instant.ofEpochSecond(now / 1_000_000_000L, now % 1_000_000_000L);
    }

    /**
     * The time in nanoseconds since the epoch.
     *
     * @return nanoseconds
     */
    public long nanoTime() {
        return nanos.get();
    }

    /**
     * Move the clock forward.
     *
     * @param duration how far, not negative
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("A clock does not go back: " + duration);
        }
        nanos.addAndGet(duration.toNanos());
    }
}
