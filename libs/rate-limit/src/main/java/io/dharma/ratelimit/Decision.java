package io.dharma.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The answer to a request for units: admitted, denied (429) or undecidable because a fail-closed policy's backend is
 * unavailable (503). Denials consume nothing from any bucket.
 *
 * @param outcome    what to do with the request
 * @param states     one state per policy that was evaluated
 * @param violated   name of the policy that denied (or was unavailable)
 * @param retryAfter when the request could be admitted (zero when allowed)
 * @param source     which backend decided
 */
public record Decision(Outcome outcome, List<PolicyState> states, Optional<String> violated, Duration retryAfter,
                       Source source) {
    /**
     * Copies.
     */
    public Decision {
        states = List.copyOf(states);
    }

    /**
     * Whether the request is admitted.
     *
     * @return true if allowed
     */
    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    Decision withSource(Source newSource) {
        return new Decision(outcome, states, violated, retryAfter, newSource);
    }

    /** What to do with the request. */
    public enum Outcome {
        /** Admit it. */
        ALLOWED,
        /** Refuse it with 429. */
        DENIED,
        /** Refuse it with 503: a fail-closed policy could not be decided. */
        UNAVAILABLE
    }

    /** Which backend decided. */
    public enum Source {
        /** The in-process backend (embedded mode). */
        LOCAL,
        /** Redis, in one round trip. */
        REDIS,
        /** The local denial cache: a key known to be over its limit, no round trip. */
        DENIAL_CACHE,
        /** Redis was unavailable: the in-process backend (fail-open) or a fail-closed refusal decided. */
        FALLBACK
    }
}
