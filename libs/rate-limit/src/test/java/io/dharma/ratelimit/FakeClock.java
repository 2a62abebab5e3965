package io.dharma.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when told, safe to advance from many threads. */
final class FakeClock implements InstantSource {
    private final AtomicLong micros = new AtomicLong(1_700_000_000_000_000L);

    @Override
    public Instant instant() {
        long now = micros.get();
        return Instant.ofEpochSecond(now / 1_000_000, (now % 1_000_000) * 1_000);
    }

    long micros() {
        return micros.get();
    }

    void advance(Duration duration) {
        micros.addAndGet(duration.toNanos() / 1_000);
    }
}
