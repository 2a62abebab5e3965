package io.dharma.resilience;

import java.net.ServerSocket;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import io.dharma.errors.ErrorCode;
import io.dharma.testing.Meters;

import io.helidon.http.Method;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What is retried and what never is, counted at a real downstream (a new one per test). */
class RetryTest {
    private static final JsonObject BODY = Json.createObjectBuilder().add("blueprintId", 7).build();

    // JUnit makes a new instance, and so a new downstream, for every test
    private final StubDownstream stub = StubDownstream.start();
    private final Downstream downstream = Fixtures.downstreams("""
            resilience:
              downstreams:
                retry-test:
                  base-url: %s
                  timeout: PT2S
                  retry: {attempts: 3, delay: PT0.01S, max-delay: PT0.05S}
                  breaker: {window: 100}
            """.formatted(stub.url())).get("retry-test");

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void unavailableDownstreamIsRetriedExactlyAttemptsTimesThenAnswers503() {
        double retriesBefore = Meters.counter(ResilienceMetrics.RETRIES, "downstream", "retry-test");
        DownstreamException e = assertThrows(DownstreamException.class, () -> downstream.get("/status/503"));
        assertThat(stub.requests("/status/503"), is(3));
        assertThat(e.reason(), is(DownstreamException.Reason.UNAVAILABLE));
        assertThat(e.code(), is(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(e.retryAfter().orElseThrow(), is("1"));
        assertThat(e.downstream(), is("retry-test"));
        assertThat(Meters.counter(ResilienceMetrics.RETRIES, "downstream", "retry-test") - retriesBefore, is(2.0));
    }

    @Test
    void badGatewayIsRetriedToo() {
        assertThrows(DownstreamException.class, () -> downstream.get("/status/502"));
        assertThat(stub.requests("/status/502"), is(3));
    }

    @Test
    void downstreamGatewayTimeoutIsRetriedThenAnswers504() {
        DownstreamException e = assertThrows(DownstreamException.class, () -> downstream.get("/status/504"));
        assertThat(stub.requests("/status/504"), is(3));
        assertThat(e.code(), is(ErrorCode.UPSTREAM_TIMEOUT));
        assertThat(e.reason(), is(DownstreamException.Reason.TIMEOUT));
    }

    @Test
    void clientErrorIsReturnedToTheCallerAndNeverRetried() {
        DownstreamResponse response = downstream.get("/status/400");
        assertThat(stub.requests("/status/400"), is(1));
        assertThat(response.status().code(), is(400));
        assertThat(response.json().getString("detail"), is("stub answer"));
        assertThat(response.header("content-type").orElseThrow(), is("application/json"));
    }

    @Test
    void internalServerErrorIsNotRetriedButAnswers503() {
        DownstreamException e = assertThrows(DownstreamException.class, () -> downstream.get("/status/500"));
        assertThat(stub.requests("/status/500"), is(1));
        assertThat(e.code(), is(ErrorCode.SERVICE_UNAVAILABLE));
    }

    @Test
    void postIsNotRetriedUnlessMarkedIdempotent() {
        assertThrows(DownstreamException.class, () -> downstream.post("/status/502", BODY));
        assertThat(stub.requests("/status/502"), is(1));

        DownstreamRequest idempotent = DownstreamRequest.of(Method.POST, "/status/503").body(BODY).idempotent(true);
        assertThrows(DownstreamException.class, () -> downstream.execute(idempotent));
        assertThat(stub.requests("/status/503"), is(3));
    }

    @Test
    void putAndDeleteAreRetried() {
        assertThrows(DownstreamException.class, () -> downstream.put("/status/503", BODY));
        assertThat(stub.requests("/status/503"), is(3));
        assertThrows(DownstreamException.class, () -> downstream.delete("/status/503"));
        assertThat(stub.requests("/status/503"), is(6));
    }

    @Test
    void transientFailuresThenSuccessReturnTheSuccess() {
        stub.failFlaky(2);
        DownstreamResponse response = downstream.get("/flaky");
        assertThat(response.status().code(), is(200));
        assertThat(response.json().getBoolean("ok"), is(true));
        assertThat(stub.requests("/flaky"), is(3));
    }

    @Test
    void downstreamRetryAfterIsPassedOn() {
        DownstreamException e = assertThrows(DownstreamException.class,
                                             () -> downstream.get("/status/503?retry-after=7"));
        assertThat(e.retryAfter().orElseThrow(), is("7"));
    }

    @Test
    void refusedConnectionIsRetriedThenAnswers503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Downstream refused = Fixtures.downstreams("""
                resilience:
                  downstreams:
                    refused-test:
                      base-url: http://127.0.0.1:%d
                      retry: {attempts: 4, delay: PT0.01S}
                """.formatted(closedPort)).get("refused-test");
        DownstreamException e = assertThrows(DownstreamException.class, () -> refused.get("/ok"));
        assertThat(e.reason(), is(DownstreamException.Reason.UNAVAILABLE));
        assertThat(Meters.counter(ResilienceMetrics.RETRIES, "downstream", "refused-test"), is(3.0));
        assertThat("detail names the downstream, not its address", e.detail(),
                   is("Downstream refused-test is unavailable"));
    }
}
