package io.dharma.health;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The last evaluation of one probe's checks, answered again until it is {@code health.cache-ttl} old; a caller that
 * finds it older starts one evaluation, and callers arriving meanwhile wait for that one. So the checks run at most
 * once per TTL (plus the evaluation's own duration), whatever the request rate.
 */
final class Snapshot {
    private final Supplier<List<CheckResult>> evaluation;
    private final InstantSource clock;
    private final Duration ttl;
    // a lock, not synchronized: callers are virtual threads
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable List<CheckResult> results;
    private Instant evaluatedAt = Instant.MIN;
    private @Nullable CompletableFuture<List<CheckResult>> inFlight;

    Snapshot(Supplier<List<CheckResult>> evaluation, InstantSource clock, Duration ttl) {
        this.evaluation = evaluation;
        this.clock = clock;
        this.ttl = ttl;
    }

    List<CheckResult> get() {
        CompletableFuture<List<CheckResult>> flight;
        boolean mine = false;
        lock.lock();
        try {
            if (results != null && clock.instant().isBefore(evaluatedAt.plus(ttl))) {
                return results;
            }
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                mine = true;
            }
            flight = inFlight;
        } finally {
            lock.unlock();
        }
        if (mine) {
            evaluate(flight);
        }
        return flight.join();
    }

    private void evaluate(CompletableFuture<List<CheckResult>> flight) {
        List<CheckResult> fresh = null;
        try {
            fresh = List.copyOf(evaluation.get());
        } finally {
            lock.lock();
            try {
                if (fresh != null) {
                    results = fresh;
                    evaluatedAt = clock.instant();
                }
                inFlight = null;
            } finally {
                lock.unlock();
            }
            if (fresh != null) {
                flight.complete(fresh);
            } else {
                flight.completeExceptionally(new IllegalStateException("The probe evaluation failed"));
            }
        }
    }
}
