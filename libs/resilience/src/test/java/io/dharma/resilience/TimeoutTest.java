package io.dharma.resilience;

import java.util.concurrent.atomic.AtomicReference;

import io.dharma.errors.ErrorCode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A downstream that does not answer ({@code /hold} waits until released, far beyond the timeouts): the call ends as
 * a 504. If a timeout did not fire, the call would return the held 200 instead.
 */
class TimeoutTest {
    // JUnit makes a new instance, and so a new downstream, for every test
    private final StubDownstream stub = StubDownstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void slowDownstreamAnswers504AfterThePerAttemptTimeout() {
        Downstream downstream = downstream("timeout-single", "timeout: PT0.2S\n      retry: {attempts: 1}");
        DownstreamException e = assertThrows(DownstreamException.class, () -> downstream.get("/hold"));
        assertThat(e.code(), is(ErrorCode.UPSTREAM_TIMEOUT));
        assertThat(e.reason(), is(DownstreamException.Reason.TIMEOUT));
        assertThat(e.retryAfter().isPresent(), is(false));
        assertThat(stub.requests("/hold"), is(1));
    }

    @Test
    void timedOutAttemptsAreRetriedWithinTheOverallTimeout() {
        // 3 attempts of at most 0.2 s fit into 0.5 s only because the last one gets what is left
        Downstream downstream = downstream("timeout-retried",
                                           "timeout: PT0.2S\n      retry: {attempts: 5, delay: PT0.01S, overall-timeout: PT0.5S}");
        DownstreamException e = assertThrows(DownstreamException.class, () -> downstream.get("/hold"));
        assertThat(e.code(), is(ErrorCode.UPSTREAM_TIMEOUT));
        assertThat(stub.requests("/hold"), allOf(greaterThanOrEqualTo(2), lessThanOrEqualTo(3)));
    }

    @Test
    void timeoutAlsoEndsACallMadeOnAVirtualThread() throws InterruptedException {
        // handlers run on virtual threads, where the attempt's timeout interrupts the blocked read
        Downstream downstream = downstream("timeout-virtual", "timeout: PT0.2S\n      retry: {attempts: 2, delay: PT0.01S}");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                downstream.get("/hold");
            } catch (Throwable t) {
                thrown.set(t);
            }
        }).join();
        assertThat(thrown.get(), instanceOf(DownstreamException.class));
        assertThat(((DownstreamException) thrown.get()).code(), is(ErrorCode.UPSTREAM_TIMEOUT));
        assertThat(stub.requests("/hold"), is(2));
        // the client is not left broken by the interrupted attempts
        stub.release();
        assertThat(downstream.get("/ok").status().code(), is(200));
    }

    private Downstream downstream(String name, String settings) {
        return Fixtures.downstreams("""
                resilience:
                  downstreams:
                    %s:
                      base-url: %s
                      %s
                """.formatted(name, stub.url(), settings)).get(name);
    }
}
