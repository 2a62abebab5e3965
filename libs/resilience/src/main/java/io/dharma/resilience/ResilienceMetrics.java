package io.dharma.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The meters of one downstream, in the global registry, all tagged {@code downstream}: the gauge
 * {@code resilience.breaker.state} (0 closed, 1 half-open, 2 open), the counters
 * {@code resilience.breaker.transitions} (tag {@code to}), {@code resilience.retries} and {@code resilience.rejections}
 * (tag {@code reason}: breaker-open, bulkhead-full), and the timer {@code resilience.calls} (tag {@code outcome}).
 */
final class ResilienceMetrics {
    // a downstream call, retries and queueing included: milliseconds to its overall timeout
    private static final Duration[] CALL_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    static final String STATE = "resilience.breaker.state";
    static final String TRANSITIONS = "resilience.breaker.transitions";
    static final String RETRIES = "resilience.retries";
    static final String REJECTIONS = "resilience.rejections";
    static final String CALLS = "resilience.calls";

    private final MeterRegistry registry = Metrics.globalRegistry();
    private final String downstream;
    private final Counter retries;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    ResilienceMetrics(String downstream, CircuitBreaker breaker) {
        this.downstream = downstream;
        List<Tag> tags = List.of(Tag.create("downstream", downstream));
        // a downstream created again (tests, a reloaded configuration) takes the gauge over from the old one
        registry.remove(STATE, tags);
        registry.getOrCreate(Gauge.builder(STATE, breaker, ResilienceMetrics::stateValue)
                                     .description("Circuit breaker state: 0 closed, 1 half-open, 2 open")
                                     .tags(tags));
        this.retries = registry.getOrCreate(Counter.builder(RETRIES)
                                                    .description("Attempts after the first, per downstream")
                                                    .tags(tags));
    }

    void transition(CircuitBreaker.State to) {
        counter(TRANSITIONS, "to", stateTag(to), "Circuit breaker state changes").increment();
    }

    void retry() {
        retries.increment();
    }

    void rejected(DownstreamException.Reason reason) {
        counter(REJECTIONS, "reason", reason.tag(), "Calls refused without reaching the downstream").increment();
    }

    void call(String outcome, Duration took) {
        timers.computeIfAbsent(outcome, o -> registry.getOrCreate(
                Timer.builder(CALLS)
                        .description("Downstream calls, retries and queueing included")
                        .tags(List.of(Tag.create("downstream", downstream), Tag.create("outcome", o)))
                        .buckets(CALL_BUCKETS)
                        // buckets, no client-side quantiles (Helidon's default): not aggregatable, and costly on
                        // every recording
                        .percentiles(new double[0])))
                .record(took);
    }

    static String stateTag(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> "closed";
            case HALF_OPEN -> "half-open";
            case OPEN -> "open";
        };
    }

    private static double stateValue(CircuitBreaker breaker) {
        return switch (breaker.state()) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    private Counter counter(String name, String tag, String value, String description) {
        return counters.computeIfAbsent(name + '|' + value, k -> registry.getOrCreate(
                Counter.builder(name)
                        .description(description)
                        .tags(List.of(Tag.create("downstream", downstream), Tag.create(tag, value)))));
    }
}
