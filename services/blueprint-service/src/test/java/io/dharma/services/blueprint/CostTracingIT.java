package io.dharma.services.blueprint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.ServiceProcess;
import io.dharma.testing.Tokens;
import io.dharma.testing.ZipkinServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * One request to the cost route, traced across two real service processes into a real Zipkin server: the trace holds
 * blueprint-service's server span, its client span, cost-service's server span and cost-service's DB span, each the
 * child of the one before, under both service names; the trace id is in the log lines and in problem bodies.
 */
class CostTracingIT {
    private static final String KEY = Tokens.randomSecret();
    private static final String TOKEN = "Bearer " + Tokens.hmac(KEY).valid("traced-user", List.of(), "enterprise");
    private static final String TRACE_ID = "5af7183fb1d4cf5f3c1e2a0b9d8c7e6f";
    private static ZipkinServer zipkin;
    private static ServiceProcess cost;
    private static ServiceProcess blueprints;

    @BeforeAll
    static void start() {
        zipkin = ZipkinServer.start();
        Map<String, String> tracing = Map.of("SECRET_JWT_SIGNING_KEY", KEY,
                                             "TRACING_ENABLED", "true",
                                             "TRACING_ENDPOINT", zipkin.spansEndpoint(),
                                             "TRACING_BATCH_dash_DELAY", "PT0.2S",
                                             "OPENAPI_VALIDATE_dash_RESPONSES", "true");
        cost = ServiceProcess.start(Path.of("..", "cost-service", "target", "cost-service.jar"), tracing);
        Map<String, String> env = new HashMap<>(tracing);
        env.put("RESILIENCE_DOWNSTREAMS_COST_dash_SERVICE_BASE_dash_URL", "http://127.0.0.1:" + cost.port());
        blueprints = ServiceProcess.start(Path.of("target", "blueprint-service.jar"), env);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {blueprints, cost, zipkin}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void oneTraceAcrossBothServicesWithServerClientServerAndDbSpans() {
        HttpTestClient client = HttpTestClient.create(blueprints.port());
        Response created = client.json("POST", "/api/v1/blueprints", """
                {"name": "traced", "targetCloud": "gcp",
                 "resources": [{"type": "vm", "size": "small", "count": 2, "region": "us-central1"}]}""",
                                       "Authorization", TOKEN);
        assertThat(created.body(), created.status(), is(201));
        String id = created.json().getString("id");

        Response costed = client.get("/api/v1/blueprints/" + id + "/cost", "Authorization", TOKEN,
                                     "traceparent", "00-" + TRACE_ID + "-a1b2c3d4e5f60718-01");
        assertThat(costed.body(), costed.status(), is(200));

        // spans arrive as each service exports them: wait for the last to end, the server spans
        Predicate<JsonArray> complete = trace -> trace.getJsonObject(0).getString("traceId").equals(TRACE_ID)
                && ZipkinServer.spansOf(trace, "blueprint-service").stream().anyMatch(s -> "SERVER".equals(s.getString("kind", "")))
                && ZipkinServer.spansOf(trace, "cost-service").stream().anyMatch(s -> "SERVER".equals(s.getString("kind", "")))
                && ZipkinServer.spansOf(trace, "cost-service").stream()
                        .anyMatch(s -> s.getJsonObject("tags").containsKey("db.query.text"));
        Optional<JsonArray> found = zipkin.awaitTrace("blueprint-service", complete, Duration.ofSeconds(30));
        assertThat("trace " + TRACE_ID + " with cost-service's DB span in " + zipkin.traces("blueprint-service"),
                   found.isPresent(), is(true));
        JsonArray trace = found.get();

        JsonObject server = span(trace, "blueprint-service", "SERVER", "get /api/v1/blueprints/{id}/cost");
        assertThat("continues the caller's traceparent", server.getString("parentId"), is("a1b2c3d4e5f60718"));
        JsonObject call = ZipkinServer.spansOf(trace, "blueprint-service").stream()
                .filter(s -> "CLIENT".equals(s.getString("kind", "")) && s.getString("name").startsWith("post"))
                .findFirst().orElseThrow(() -> new AssertionError("no client span in " + trace));
        assertThat(call.getString("parentId"), is(server.getString("id")));
        JsonObject estimate = span(trace, "cost-service", "SERVER", "post /api/v1/costs/estimate");
        assertThat(estimate.getString("parentId"), is(call.getString("id")));
        JsonObject query = span(trace, "cost-service", "CLIENT", "select prices");
        assertThat(query.getString("parentId"), is(estimate.getString("id")));
        JsonObject tags = query.getJsonObject("tags");
        assertThat(tags.getString("db.query.text"), containsString("FROM prices"));
        assertThat(tags.getString("db.operation.name"), is("SELECT"));
        assertThat(tags.getString("db.collection.name"), is("prices"));
        // the server spans under the current HTTP semantic conventions
        assertThat(server.getJsonObject("tags").getString("http.request.method"), is("GET"));
        assertThat(server.getJsonObject("tags").getString("http.response.status_code"), is("200"));
        assertThat(server.getJsonObject("tags").getString("http.route"), is("/api/v1/blueprints/{id}/cost"));

        // exemplars: in the OpenMetrics format, the request histogram links a bucket to the trace
        String openMetrics = HttpTestClient.create(blueprints.managementPort())
                .get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0").body();
        assertThat(openMetrics.lines()
                           .filter(l -> l.startsWith("http_server_requests_seconds_bucket{")
                                   && l.contains("uri=\"/api/v1/blueprints/{id}/cost\"")
                                   && l.contains("trace_id=\"" + TRACE_ID + "\""))
                           .count(), greaterThan(0L));
    }

    @Test
    void traceIdsAreInProblemBodiesAndLogLines() throws InterruptedException {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        Response missing = HttpTestClient.create(blueprints.port())
                .get("/api/v1/blueprints/00000000-0000-0000-0000-000000000000", "Authorization", TOKEN,
                     "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
        assertThat(assertProblem(missing, 404, "NOT_FOUND").getString("traceId"), is(traceId));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean logged = false;
        while (!logged && System.nanoTime() < deadline) {
            Thread.sleep(100);
            logged = blueprints.output().stream()
                    .anyMatch(line -> line.contains("\"logger\":\"access\"") && line.contains("\"traceId\":\"" + traceId + "\""));
        }
        assertThat("an access-log line with traceId " + traceId, logged, is(true));
    }

    private static JsonObject span(JsonArray trace, String service, String kind, String name) {
        return ZipkinServer.spansOf(trace, service).stream()
                .filter(s -> kind.equals(s.getString("kind", "")) && name.equals(s.getString("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " span '" + name + "' of " + service + " in " + trace));
    }
}
