package io.dharma.ratelimit;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a request may take units from all of its buckets at once: every charge must conform, and if one
 * does not, none is consumed. Implementations are thread-safe.
 */
public interface RateLimiter extends AutoCloseable {
    /**
     * Take units from every bucket, or from none.
     *
     * @param charges the buckets this request takes from (may be empty: then allowed)
     * @return the decision
     */
    Decision acquire(List<Charge> charges);

    /**
     * A denial known without consuming anything and without leaving the process: the in-process buckets, or the
     * Redis backend's cache of buckets known to be over their limit. Empty means "ask {@link #acquire}".
     *
     * @param charges the buckets a request would take from
     * @return the denial, if one is known locally
     */
    default Optional<Decision> knownDenial(List<Charge> charges) {
        return Optional.empty();
    }

    /**
     * The in-process backend: buckets in this JVM, keyed exactly like the Redis backend.
     *
     * @param clock time source (inject a fake one in tests)
     * @return limiter
     */
    static RateLimiter inProcess(InstantSource clock) {
        return new LocalRateLimiter(clock, LocalRateLimiter.DEFAULT_MAX_KEYS);
    }

    /**
     * Release resources (a Redis client this limiter created).
     */
    @Override
    default void close() {
    }
}
