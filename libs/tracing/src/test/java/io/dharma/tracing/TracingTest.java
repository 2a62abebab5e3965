package io.dharma.tracing;

import java.util.Map;

import io.dharma.logging.Logging;
import io.dharma.testing.HttpTestClient;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Tracing off (the embedded default): no observer, and no trace ids in the MDC even when a caller sends a
 * {@code traceparent}, so log lines and problem bodies carry none.
 */
class TracingTest {
    @Test
    void offMeansNoObserverAndNoIds() {
        Tracing tracing = Tracing.create(Config.just(ConfigSources.create(Map.of())), "off", "1");
        assertThat(tracing.enabled(), is(false));
        assertThat(tracing.observer().isPresent(), is(false));
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.addFilter(tracing.logFilter())
                        .get("/", (req, res) -> res.send(String.valueOf(MDC.get(Logging.TRACE_ID_MDC_KEY)))))
                .build()
                .start();
        try {
            HttpTestClient.Response response = HttpTestClient.create(server.port())
                    .get("/", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            assertThat(response.body(), is("null"));
        } finally {
            server.stop();
        }
    }

    @Test
    void samplerRatioIsValidated() {
        try {
            TracingConfig.create(Config.just(ConfigSources.create(Map.of("sampler-ratio", "1.5"))));
            throw new AssertionError("accepted a ratio above 1");
        } catch (TracingConfigException expected) {
            assertThat(expected.getMessage().contains("sampler-ratio"), is(true));
        }
    }
}
