package io.dharma.resilience;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.dharma.errors.ErrorCode;
import io.dharma.testing.Meters;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A full bulkhead refuses calls at once, without reaching the downstream. */
class BulkheadTest {
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    // JUnit makes a new instance, and so a new downstream, for every test
    private final StubDownstream stub = StubDownstream.start();

    @AfterEach
    void stop() {
        stub.close();
        threads.shutdownNow();
    }

    @Test
    void fullBulkheadAnswers503Fast() throws Exception {
        Downstream downstream = Fixtures.downstreams("""
                resilience:
                  downstreams:
                    bulkhead-test:
                      base-url: %s
                      timeout: PT5S
                      bulkhead: {limit: 1, queue: 1}
                """.formatted(stub.url())).get("bulkhead-test");
        // one call in flight, one queued behind it
        CompletableFuture<DownstreamResponse> inFlight = CompletableFuture.supplyAsync(() -> downstream.get("/hold"), threads);
        Fixtures.await(() -> stub.holding() == 1, Duration.ofSeconds(5));
        CompletableFuture<DownstreamResponse> queued = CompletableFuture.supplyAsync(() -> downstream.get("/ok"), threads);
        Fixtures.await(() -> ((ResilientDownstream) downstream).queued() == 1, Duration.ofSeconds(5));

        long started = System.nanoTime();
        DownstreamException e = assertThrows(DownstreamException.class, () -> downstream.get("/ok"));
        assertThat("fails fast", Duration.ofNanos(System.nanoTime() - started).toMillis(), lessThan(200L));
        assertThat(e.reason(), is(DownstreamException.Reason.BULKHEAD_FULL));
        assertThat(e.code(), is(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(e.retryAfter().orElseThrow(), is("1"));
        assertThat(Meters.counter(ResilienceMetrics.REJECTIONS, "downstream", "bulkhead-test", "reason", "bulkhead-full"),
                   is(1.0));

        stub.release();
        assertThat(inFlight.get(5, TimeUnit.SECONDS).status().code(), is(200));
        assertThat("the queued call ran once a slot was free", queued.get(5, TimeUnit.SECONDS).status().code(), is(200));
        assertThat(stub.requests("/ok"), is(1));
    }
}
