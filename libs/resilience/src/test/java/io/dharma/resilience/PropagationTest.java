package io.dharma.resilience;

import java.util.List;

import jakarta.json.JsonObject;

import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.logging.Logging;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.YamlConfig;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;
import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * A real upstream service (correlation filter and problem error handler, as every Dharma service has) whose handlers
 * call the downstream: what the downstream receives, and what the upstream's client gets when the downstream fails.
 */
class PropagationTest {
    private StubDownstream stub;
    private WebServer upstream;
    private HttpTestClient client;

    @BeforeEach
    void start() {
        stub = StubDownstream.start();
        Downstreams downstreams = Downstreams.builder()
                .config(YamlConfig.parse("""
                        resilience:
                          downstreams:
                            propagation-test:
                              base-url: %s
                              retry: {attempts: 2, delay: PT0.01S}
                        """.formatted(stub.url())).get("resilience"))
                .addClientService(new ExtraHeaderService())
                .build();
        Downstream downstream = downstreams.get("propagation-test");
        upstream = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .routing(routing -> routing
                        .addFilter(Logging.correlationFilter())
                        .error(Throwable.class, Errors.errorHandler(ErrorsConfig.create(), List.of()))
                        .get("/api/headers", (req, res) -> res.send(downstream.get("/headers").json()))
                        .get("/api/failing", (req, res) -> res.send(downstream.get("/status/503").json())))
                .build()
                .start();
        client = HttpTestClient.create(upstream.port());
    }

    @AfterEach
    void stop() {
        upstream.stop();
        stub.close();
    }

    @Test
    void correlationIdAndAddedClientServicesReachTheDownstream() {
        JsonObject seen = client.get("/api/headers", "X-Correlation-Id", "cid-resilience-1").json();
        assertThat(seen.getString("correlationId"), is("cid-resilience-1"));
        assertThat(seen.getString("extra"), is("added"));
    }

    @Test
    void generatedCorrelationIdReachesTheDownstream() {
        HttpTestClient.Response response = client.get("/api/headers");
        assertThat(response.json().getString("correlationId"), is(response.header("X-Correlation-Id").orElseThrow()));
    }

    @Test
    void failedDownstreamIsA503ProblemWithRetryAfterAndNoInternals() {
        HttpTestClient.Response response = client.get("/api/failing", "X-Correlation-Id", "cid-resilience-2");
        JsonObject problem = assertProblem(response, 503, "SERVICE_UNAVAILABLE");
        assertThat(response.header("Retry-After").orElseThrow(), is("1"));
        assertThat(problem.getString("detail"), is("Downstream propagation-test is unavailable"));
        assertThat(response.body(), not(containsString("127.0.0.1")));
        assertThat(response.body(), not(containsString(Integer.toString(stub.port()))));
        assertThat("both attempts carried the correlation id", stub.correlationIds("/status/503"),
                   is(List.of("cid-resilience-2", "cid-resilience-2")));
    }

    /** Stands for a later client service such as tracing: adds a header to every attempt. */
    private static final class ExtraHeaderService implements WebClientService {
        @Override
        public WebClientServiceResponse handle(Chain chain, io.helidon.webclient.api.WebClientServiceRequest request) {
            request.headers().set(HeaderNames.create("X-Extra"), "added");
            return chain.proceed(request);
        }
    }
}
