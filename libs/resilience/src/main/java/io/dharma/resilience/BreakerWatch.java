package io.dharma.resilience;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import io.helidon.faulttolerance.CircuitBreaker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a circuit breaker's state. Helidon's breaker (4.1.2) has no listener: its state changes inside
 * {@code invoke} and, for open to half-open, on a timer. So the state is read around every attempt (and by the
 * readiness check); each change seen is logged (WARN when it opens, INFO otherwise) and counted, and the moment it
 * opened is kept to tell callers how long it will stay open.
 */
final class BreakerWatch {
    private static final Logger LOGGER = LoggerFactory.getLogger(BreakerWatch.class);

    private final String downstream;
    private final CircuitBreaker breaker;
    private final Duration openDelay;
    private final ResilienceMetrics metrics;
    private final LongSupplier nanoTime;

    // one observer at a time, so that two threads cannot report the same change twice or in the wrong order
    private final ReentrantLock lock = new ReentrantLock();
    private CircuitBreaker.State observed = CircuitBreaker.State.CLOSED;
    private long openedAt;

    BreakerWatch(String downstream, CircuitBreaker breaker, Duration openDelay, ResilienceMetrics metrics,
                 LongSupplier nanoTime) {
        this.downstream = downstream;
        this.breaker = breaker;
        this.openDelay = openDelay;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
    }

    /**
     * Read the breaker's state and report a change.
     *
     * @return the current state
     */
    CircuitBreaker.State observe() {
        CircuitBreaker.State from;
        CircuitBreaker.State to;
        lock.lock();
        try {
            to = breaker.state();
            if (to == observed) {
                return to;
            }
            from = observed;
            observed = to;
            if (to == CircuitBreaker.State.OPEN) {
                openedAt = nanoTime.getAsLong();
            }
        } finally {
            lock.unlock();
        }
        metrics.transition(to);
        switch (to) {
        case OPEN -> LOGGER.warn("Circuit breaker of downstream {} opened (was {}): calls fail fast for {}",
                                 downstream, ResilienceMetrics.stateTag(from), openDelay);
        case HALF_OPEN -> LOGGER.info("Circuit breaker of downstream {} is half-open: the next call probes it", downstream);
        case CLOSED -> LOGGER.info("Circuit breaker of downstream {} closed (was {}): calls flow again",
                                   downstream, ResilienceMetrics.stateTag(from));
        }
        return to;
    }

    /**
     * What is left of the open delay, if the breaker is open.
     *
     * @return time until the breaker turns half-open; empty unless it is open
     */
    Optional<Duration> openFor() {
        if (observe() != CircuitBreaker.State.OPEN) {
            return Optional.empty();
        }
        lock.lock();
        try {
            Duration left = openDelay.minusNanos(nanoTime.getAsLong() - openedAt);
            return Optional.of(left.isNegative() ? Duration.ZERO : left);
        } finally {
            lock.unlock();
        }
    }
}
