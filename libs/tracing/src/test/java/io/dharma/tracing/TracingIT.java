package io.dharma.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import io.dharma.logging.Logging;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.ZipkinServer;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.ObserveFeatureConfig;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * Tracing against a real Zipkin server: an incoming W3C {@code traceparent} is continued, the server span is named by
 * route template, an outgoing WebClient call gets a client span and carries the context to the next server span,
 * and the trace id is in the MDC while the request runs.
 */
class TracingIT {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static ZipkinServer zipkin;
    private static Tracing tracing;
    private static WebServer server;

    @BeforeAll
    static void start() {
        zipkin = ZipkinServer.start();
        // the standard OpenTelemetry settings win over the tracing node (an OTEL_RESOURCE_ATTRIBUTES variable is read
        // like this system property)
        System.setProperty("otel.resource.attributes", "k8s.pod.name=pod-7,deployment.environment=override");
        try {
            tracing = Tracing.create(Config.just(ConfigSources.create(Map.of(
                    "enabled", "true",
                    "exporter", "zipkin",
                    "endpoint", zipkin.spansEndpoint(),
                    "environment", "it",
                    "batch-delay", "PT0.2S"))), "tracing-it", "1.2.3");
        } finally {
            System.clearProperty("otel.resource.attributes");
        }
        ObserveFeatureConfig.Builder observe = ObserveFeature.builder().weight(120);
        tracing.observer().ifPresent(observe::addObserver);
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .addFeature(observe.build())
                .routing(routing -> routing
                        .addFilter(tracing.logFilter())
                        .addFilter((chain, req, res) -> {
                            chain.proceed();
                            String route = req.path().path().startsWith("/outer") ? "/outer/{name}" : "/inner";
                            Tracing.nameServerSpan(req, req.prologue().method().text(), route, res.status().code());
                        })
                        .get("/outer/{name}", (req, res) -> {
                            String inner = WebClient.builder()
                                    .baseUri("http://127.0.0.1:" + req.localPeer().port())
                                    .build()
                                    .get("/inner")
                                    .requestEntity(String.class);
                            res.send(MDC.get(Logging.TRACE_ID_MDC_KEY) + " " + inner);
                        })
                        .get("/inner", (req, res) -> res.send(MDC.get(Logging.TRACE_ID_MDC_KEY))))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (tracing != null) {
            tracing.close();
        }
        if (zipkin != null) {
            zipkin.close();
        }
    }

    @Test
    void oneTraceAcrossServerClientAndServerWithRouteNamesAndIdsInTheMdc() {
        HttpTestClient.Response response = HttpTestClient.create(server.port())
                .get("/outer/alice", "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
        assertThat(response.body(), is(TRACE_ID + " " + TRACE_ID));
        tracing.flush();

        // the outer server span ends after its answer reached the client, so it may come in a later export
        Optional<JsonArray> trace = zipkin.awaitTrace("tracing-it", t -> t.size() >= 3
                && t.getJsonObject(0).getString("traceId").equals(TRACE_ID)
                && t.getValuesAs(JsonObject.class).stream().anyMatch(s -> s.getString("name").equals("get /outer/{name}")),
                                                      Duration.ofSeconds(20));
        assertThat("trace " + TRACE_ID + " in " + zipkin.traces("tracing-it"), trace.isPresent(), is(true));
        List<JsonObject> spans = ZipkinServer.spansOf(trace.get(), "tracing-it");
        List<String> names = spans.stream().map(s -> s.getString("name") + "/" + s.getString("kind", "")).toList();
        assertThat(names, hasItems("get /outer/{name}/SERVER", "get /inner/SERVER"));
        JsonObject outer = span(spans, "get /outer/{name}", "SERVER");
        JsonObject inner = span(spans, "get /inner", "SERVER");
        JsonObject client = spans.stream().filter(s -> "CLIENT".equals(s.getString("kind", ""))).findFirst().orElseThrow();
        assertThat("the incoming traceparent is the parent", outer.getString("parentId"), is("00f067aa0ba902b7"));
        assertThat(client.getString("parentId"), is(outer.getString("id")));
        assertThat(inner.getString("parentId"), is(client.getString("id")));
        JsonObject tags = outer.getJsonObject("tags");
        // the current HTTP semantic conventions
        assertThat(tags.getString("http.route"), is("/outer/{name}"));
        assertThat(tags.getString("http.request.method"), is("GET"));
        assertThat(tags.getString("http.response.status_code"), is("200"));
        assertThat(tags.getString("url.path"), is("/outer/alice"));
        assertThat(tags.getString("url.scheme"), is("http"));
        assertThat(tags.getString("server.address"), is("127.0.0.1"));
        assertThat(tags.getString("server.port"), is(Integer.toString(server.port())));
        // resource attributes: the service's, then the standard variables'
        assertThat(tags.getString("service.version"), is("1.2.3"));
        assertThat(tags.getString("k8s.pod.name"), is("pod-7"));
        assertThat(tags.getString("deployment.environment"), is("override"));
        assertThat(tags.containsKey("host.name"), is(true));
    }

    private static JsonObject span(List<JsonObject> spans, String name, String kind) {
        return spans.stream()
                .filter(s -> s.getString("name").equals(name) && kind.equals(s.getString("kind", "")))
                .findFirst()
                .orElseThrow();
    }
}
