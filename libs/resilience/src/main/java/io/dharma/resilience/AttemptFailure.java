package io.dharma.resilience;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One failed attempt, thrown inside the fault-tolerance handlers so that the circuit breaker counts it (every
 * {@code AttemptFailure}) and the retry repeats it (only {@link Transient} ones). Callers never see it thrown: the
 * call turns it into a {@link DownstreamException}, whose cause it is (logged, never shown).
 */
class AttemptFailure extends RuntimeException {
    private final Kind kind;
    private final int status;
    private final @Nullable Duration retryAfter;

    private AttemptFailure(Kind kind, String message, int status, @Nullable Duration retryAfter, @Nullable Throwable cause) {
        // thrown per failed attempt, and only its message and cause are ever logged
        super(message, cause, false, false);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    enum Kind {
        /** The connection could not be made or broke (refused, reset, closed early). */
        CONNECTION,
        /** No complete answer within the attempt's time. */
        TIMEOUT,
        /** The downstream answered 5xx. */
        STATUS
    }

    // "call" names the attempt for the log: method, path without query string, downstream

    static AttemptFailure connection(String call, Throwable cause) {
        return new Transient(Kind.CONNECTION, call + ": connection failed", 0, null, cause);
    }

    static AttemptFailure timeout(String call, Duration budget, Throwable cause) {
        return new Transient(Kind.TIMEOUT, call + ": no answer within " + budget, 0, null, cause);
    }

    /**
     * The overall timeout ran out before an attempt could start (in the bulkhead queue, or in backoff): not retried,
     * and not counted by the breaker, which never saw the call.
     */
    static AttemptFailure outOfTime(String call, Duration overallTimeout) {
        return new AttemptFailure(Kind.TIMEOUT, call + ": overall timeout of " + overallTimeout + " used up", 0, null, null);
    }

    /**
     * A 5xx answer: 502, 503 and 504 are transient (a restarting or overloaded downstream, a proxy without a backend),
     * any other 5xx is a failure the same request would meet again.
     */
    static AttemptFailure status(String call, int status, Optional<Duration> retryAfter) {
        String message = call + ": answered " + status;
        return status == 502 || status == 503 || status == 504
                ? new Transient(Kind.STATUS, message, status, retryAfter.orElse(null), null)
                : new AttemptFailure(Kind.STATUS, message, status, retryAfter.orElse(null), null);
    }

    /**
     * Whether the caller should see a timeout (504) rather than an unavailable downstream (503).
     */
    boolean timedOut() {
        return kind == Kind.TIMEOUT || status == 504;
    }

    /**
     * The downstream's own {@code Retry-After}, if it sent one in seconds.
     */
    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** A failure worth another attempt. */
    static final class Transient extends AttemptFailure {
        private Transient(Kind kind, String message, int status, @Nullable Duration retryAfter, @Nullable Throwable cause) {
            super(kind, message, status, retryAfter, cause);
        }
    }
}
