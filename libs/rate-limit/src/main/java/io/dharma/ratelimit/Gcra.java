package io.dharma.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The generic cell rate algorithm in integer microseconds, shared by both backends (the Redis script mirrors
 * {@link #conforms}). A bucket is one number, its theoretical arrival time {@code tat}: a request of {@code n} units
 * at {@code now} conforms iff {@code max(tat, now) + n·T - τ ≤ now}, with emission interval {@code T} and burst
 * tolerance {@code τ = capacity·T}; if it conforms, {@code tat} becomes {@code max(tat, now) + n·T}.
 */
final class Gcra {
    private Gcra() {
    }

    /** Whether n units conform; {@code tat} is already {@code max(tat, now)}. */
    static boolean conforms(Charge charge, long now, long tat) {
        return tat + charge.cost() * charge.intervalMicros() - charge.tauMicros() <= now;
    }

    /** The new TAT after consuming. */
    static long consume(Charge charge, long tat) {
        return tat + charge.cost() * charge.intervalMicros();
    }

    /** Time until the charge would conform, in microseconds (0 if it conforms). */
    static long retryMicros(Charge charge, long now, long tat) {
        return Math.max(0, tat + charge.cost() * charge.intervalMicros() - charge.tauMicros() - now);
    }

    static PolicyState state(Charge charge, long now, long tat) {
        long interval = charge.intervalMicros();
        long ahead = Math.max(0, tat - now);
        long remaining = Math.max(0, (charge.tauMicros() - ahead) / interval);
        return new PolicyState(charge.policy().name(), charge.capacity(), charge.policy().windowSeconds(),
                               Math.min(remaining, charge.capacity()), (ahead + 999_999) / 1_000_000);
    }

    /**
     * The decision for a request given every bucket's TAT (each already {@code max(tat, now)}).
     *
     * @param charges  charges
     * @param now      current time, µs
     * @param tats     TAT per charge
     * @param admitted whether all conformed (and were consumed)
     * @param source   deciding backend
     * @return decision
     */
    static Decision decide(List<Charge> charges, long now, long[] tats, boolean admitted, Decision.Source source) {
        List<PolicyState> states = new ArrayList<>(charges.size());
        String violated = null;
        long retry = 0;
        for (int i = 0; i < charges.size(); i++) {
            Charge charge = charges.get(i);
            if (admitted) {
                states.add(state(charge, now, consume(charge, tats[i])));
            } else {
                states.add(state(charge, now, tats[i]));
                long wait = retryMicros(charge, now, tats[i]);
                if (!conforms(charge, now, tats[i]) && (violated == null || wait > retry)) {
                    retry = wait;
                    violated = charge.policy().name();
                }
            }
        }
        if (admitted) {
            return new Decision(Decision.Outcome.ALLOWED, states, Optional.empty(), Duration.ZERO, source);
        }
        return new Decision(Decision.Outcome.DENIED, states, Optional.ofNullable(violated), Duration.ofNanos(retry * 1000),
                            source);
    }
}
