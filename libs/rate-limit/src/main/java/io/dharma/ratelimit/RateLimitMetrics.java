package io.dharma.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * Meters in the global registry: {@code ratelimit.allowed} / {@code ratelimit.denied} / {@code ratelimit.near.limit}
 * tagged {@code policy}, {@code ratelimit.fallback} tagged {@code mode} (open, closed), and the
 * {@code ratelimit.decision} timer tagged {@code source}.
 */
final class RateLimitMetrics {
    // an in-process decision takes microseconds, one on Redis a round trip
    private static final Duration[] DECISION_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100)};

    private final MeterRegistry registry = Metrics.globalRegistry();
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Decision.Source, Timer> timers = new ConcurrentHashMap<>();

    void record(Decision decision, Duration took) {
        timers.computeIfAbsent(decision.source(), s -> registry.getOrCreate(
                Timer.builder("ratelimit.decision")
                        .description("Time to decide a request's rate limits")
                        .tags(List.of(Tag.create("source", s.name().toLowerCase(Locale.ROOT))))
                        .buckets(DECISION_BUCKETS)
                        // buckets, no client-side quantiles (Helidon's default): not aggregatable, and costly on
                        // every recording
                        .percentiles(new double[0])))
                .record(took);
        if (decision.allowed()) {
            for (PolicyState state : decision.states()) {
                counter("ratelimit.allowed", "policy", state.policy(), "Requests admitted by a policy").increment();
                if (state.nearLimit()) {
                    counter("ratelimit.near.limit", "policy", state.policy(),
                            "Admissions that left a bucket at least 80 % used").increment();
                }
            }
        } else {
            decision.violated().ifPresent(policy -> counter(
                    decision.outcome() == Decision.Outcome.DENIED ? "ratelimit.denied" : "ratelimit.unavailable",
                    "policy", policy, "Requests refused by a policy").increment());
        }
    }

    void fallback(FailureMode mode) {
        counter("ratelimit.fallback", "mode", mode.name().toLowerCase(Locale.ROOT),
                "Decisions made without Redis because it was slow or down").increment();
    }

    double count(String name, String tag, String value) {
        return counter(name, tag, value, "").count();
    }

    private Counter counter(String name, String tag, String value, String description) {
        return counters.computeIfAbsent(new CounterKey(name, tag, value), k -> registry.getOrCreate(
                Counter.builder(name).description(description).tags(List.of(Tag.create(tag, value)))));
    }

    // a record of the parts, not a concatenated string: their hash codes are cached, nothing is built per request
    private record CounterKey(String name, String tag, String value) {
    }
}
