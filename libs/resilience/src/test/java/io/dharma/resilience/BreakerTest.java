package io.dharma.resilience;

import java.time.Duration;

import io.dharma.errors.ErrorCode;
import io.dharma.testing.Meters;

import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The circuit breaker opens on a stopped downstream, fails fast, and closes again once it is back. */
class BreakerTest {
    // JUnit makes a new instance, and so a new downstream, for every test
    private final StubDownstream stub = StubDownstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void stoppedDownstreamOpensTheBreakerAndRestartedOneClosesIt() throws Exception {
        Downstreams downstreams = Fixtures.downstreams("""
                resilience:
                  downstreams:
                    breaker-test:
                      base-url: %s
                      retry: {attempts: 1}
                      breaker: {window: 4, failure-ratio: 50, delay: PT2S}
                      readiness: true
                """.formatted(stub.url()));
        Downstream downstream = downstreams.get("breaker-test");
        HealthCheck readiness = downstreams.readinessChecks().getFirst();
        assertThat(downstream.get("/ok").status().code(), is(200));
        assertThat(readiness.call().details().get("state"), is("ok"));

        stub.stop();
        // the window holds 4 calls: 1 success + 3 refused connections (75 % >= 50 %) open it
        for (int i = 0; i < 3; i++) {
            DownstreamException e = assertThrows(DownstreamException.class, () -> downstream.get("/ok"));
            assertThat(e.reason(), is(DownstreamException.Reason.UNAVAILABLE));
        }
        assertThat(downstream.breakerState(), is(CircuitBreaker.State.OPEN));
        assertThat(Meters.gauge(ResilienceMetrics.STATE, "downstream", "breaker-test"), is(2.0));
        HealthCheckResponse degraded = readiness.call();
        assertThat("non-critical: the service stays ready", degraded.status(), is(HealthCheckResponse.Status.UP));
        assertThat(degraded.details().get("state"), is("degraded"));
        assertThat(degraded.details().get("breaker"), is("open"));

        long started = System.nanoTime();
        DownstreamException open = assertThrows(DownstreamException.class, () -> downstream.get("/ok"));
        assertThat("fails fast", Duration.ofNanos(System.nanoTime() - started).toMillis(), lessThan(200L));
        assertThat(open.reason(), is(DownstreamException.Reason.BREAKER_OPEN));
        assertThat(open.code(), is(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat("what is left of the open delay", open.retryAfter().orElseThrow(), either(is("1")).or(is("2")));
        assertThat(Meters.counter(ResilienceMetrics.REJECTIONS, "downstream", "breaker-test", "reason", "breaker-open"),
                   is(1.0));

        stub.restart();
        Fixtures.await(() -> downstream.breakerState() == CircuitBreaker.State.HALF_OPEN, Duration.ofSeconds(10));
        assertThat(Meters.gauge(ResilienceMetrics.STATE, "downstream", "breaker-test"), is(1.0));
        assertThat("same client, no restart", downstream.get("/ok").status().code(), is(200));
        assertThat(downstream.breakerState(), is(CircuitBreaker.State.CLOSED));
        assertThat(Meters.gauge(ResilienceMetrics.STATE, "downstream", "breaker-test"), is(0.0));
        assertThat(readiness.call().details().get("state"), is("ok"));
        for (String to : new String[] {"open", "half-open", "closed"}) {
            assertThat("transitions to " + to,
                       Meters.counter(ResilienceMetrics.TRANSITIONS, "downstream", "breaker-test", "to", to), is(1.0));
        }
    }

    @Test
    void clientErrorsNeverOpenTheBreaker() {
        Downstream downstream = Fixtures.downstreams("""
                resilience:
                  downstreams:
                    breaker-4xx:
                      base-url: %s
                      breaker: {window: 2, failure-ratio: 1}
                """.formatted(stub.url())).get("breaker-4xx");
        for (int i = 0; i < 5; i++) {
            assertThat(downstream.get("/status/404").status().code(), is(404));
        }
        assertThat(downstream.breakerState(), is(CircuitBreaker.State.CLOSED));
        assertThat(stub.requests("/status/404"), is(5));
    }

    @Test
    void serverErrorsOpenTheBreaker() {
        Downstream downstream = Fixtures.downstreams("""
                resilience:
                  downstreams:
                    breaker-5xx:
                      base-url: %s
                      breaker: {window: 2, failure-ratio: 100, delay: PT1M}
                """.formatted(stub.url())).get("breaker-5xx");
        for (int i = 0; i < 2; i++) {
            assertThrows(DownstreamException.class, () -> downstream.get("/status/500"));
        }
        assertThat(downstream.breakerState(), is(CircuitBreaker.State.OPEN));
        DownstreamException open = assertThrows(DownstreamException.class, () -> downstream.get("/status/500"));
        assertThat(open.reason(), is(DownstreamException.Reason.BREAKER_OPEN));
        assertThat(open.retryAfter().orElseThrow(), either(is("59")).or(is("60")));
        assertThat("the open breaker kept the call away", stub.requests("/status/500"), is(2));
    }
}
