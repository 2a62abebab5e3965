package io.dharma.resilience;

import io.dharma.testing.Meters;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The meters of a downstream are in Helidon's global registry, tagged with its name. */
class MetricsTest {
    private final StubDownstream stub = StubDownstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void breakerStateRetriesAndCallsAreMetered() {
        Downstream downstream = Fixtures.downstreams("""
                resilience:
                  downstreams:
                    metrics-test:
                      base-url: %s
                      retry: {attempts: 2, delay: PT0.01S}
                """.formatted(stub.url())).get("metrics-test");
        downstream.get("/ok");
        downstream.get("/status/404");
        assertThrows(DownstreamException.class, () -> downstream.get("/status/503"));

        MeterRegistry registry = Metrics.globalRegistry();
        Gauge<?> state = registry.gauge(ResilienceMetrics.STATE, Meters.tags("downstream", "metrics-test")).orElseThrow();
        assertThat(state.value().doubleValue(), is(0.0));
        assertThat(Meters.counter(ResilienceMetrics.RETRIES, "downstream", "metrics-test"), is(1.0));
        for (String outcome : new String[] {"success", "client-error", "unavailable"}) {
            Timer calls = registry.timer(ResilienceMetrics.CALLS, Meters.tags("downstream", "metrics-test", "outcome", outcome))
                    .orElseThrow(() -> new AssertionError("no resilience.calls timer for outcome " + outcome));
            assertThat(outcome, calls.count(), is(1L));
        }
    }
}
