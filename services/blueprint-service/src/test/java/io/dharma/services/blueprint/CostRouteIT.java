package io.dharma.services.blueprint;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

import jakarta.json.JsonObject;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.ServiceProcess;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * {@code GET /api/v1/blueprints/{id}/cost} against a real cost-service process (its packaged jar, built before this
 * module): the estimate end to end, and the resilient client's behaviour when cost-service refuses, hangs, fails or
 * is stopped and started again, counted at cost-service's own {@code /metrics}. Each test gets a blueprint-service of
 * its own (so a fresh circuit breaker) with short timeouts.
 */
class CostRouteIT {
    static final Path COST_JAR = Path.of("..", "cost-service", "target", "cost-service.jar");
    static final String KEY = Tokens.randomSecret();
    private static final Tokens TOKENS = Tokens.hmac(KEY);
    static final String OWNER = "Bearer " + TOKENS.valid("cost-owner", List.of(), "enterprise");
    private static int costPort;
    private static ServiceProcess cost;
    private DharmaService blueprints;
    private HttpTestClient client;

    @BeforeAll
    static void startCostService() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            costPort = socket.getLocalPort();
        }
        cost = startCost(Map.of());
    }

    @AfterAll
    static void stopCostService() {
        if (cost != null) {
            cost.close();
        }
    }

    @BeforeEach
    void startBlueprints() {
        blueprints = TestServices.start(downstream(costPort));
        client = HttpTestClient.create(blueprints.port());
    }

    @AfterEach
    void stopBlueprints() {
        blueprints.stop();
    }

    @Test
    void estimatesTheBlueprintThroughCostService() {
        String id = create("""
                [{"type": "vm", "size": "medium", "count": 3, "region": "eu-west-1"},
                 {"type": "database", "size": "small", "count": 1, "region": "us-east-1"}]""");
        Response response = client.get("/api/v1/blueprints/" + id + "/cost", "Authorization", OWNER);
        assertThat(response.body(), response.status(), is(200));
        JsonObject estimate = response.json();
        assertThat(estimate.getString("blueprintId"), is(id));
        assertThat(estimate.getBoolean("stale"), is(false));
        // aws vm medium 30.00 × 1.08 (eu-west-1) × 3 = 97.20; database small 25.00 × 1
        assertThat(estimate.getJsonNumber("monthlyTotal").bigDecimalValue().toPlainString(), is("122.20"));
        assertThat(estimate.getJsonArray("resources").size(), is(2));
        assertThat("the expensive policy applies to the route",
                   response.header("RateLimit").orElse(""), containsString("\"expensive\";r="));
    }

    @Test
    void estimatesAreCachedPerVersionAndServedStaleWhileCostServiceIsDown() throws InterruptedException {
        String id = create("[{\"type\": \"cache\", \"size\": \"large\", \"count\": 2, \"region\": \"us-east-1\"}]");
        String path = "/api/v1/blueprints/" + id + "/cost";
        double before = requests(cost, "200");
        JsonObject first = client.get(path, "Authorization", OWNER).json();
        // on a loaded machine the first call may time out and be retried: cost-service then answers twice
        double afterFirst = settled(() -> requests(cost, "200"));
        assertThat("cost-service was asked", afterFirst - before, greaterThanOrEqualTo(1.0));
        assertThat(client.get(path, "Authorization", OWNER).json(), is(first));
        assertThat("the second answer came from the cache", settled(() -> requests(cost, "200")), is(afterFirst));

        Response replaced = client.json("PUT", "/api/v1/blueprints/" + id, """
                {"name": "costed-%s", "targetCloud": "aws",
                 "resources": [{"type": "cache", "size": "large", "count": 3, "region": "us-east-1"}]}"""
                .formatted(System.nanoTime()), "Authorization", OWNER, "If-Match", "\"1\"");
        assertThat(replaced.body(), replaced.status(), is(200));
        cost.close();
        try {
            Response stale = client.get(path, "Authorization", OWNER);
            assertThat(stale.body(), stale.status(), is(200));
            assertThat(stale.json().getBoolean("stale"), is(true));
            assertThat("the estimate of the version it was computed for", stale.json().getInt("blueprintVersion"), is(1));
            assertThat(stale.json().getString("computedAt"), is(first.getString("computedAt")));
        } finally {
            cost = startCost(Map.of());
        }
        // the failed attempts of the stale call may have opened the breaker (window 4): fresh once its delay (1 s) passed
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonObject fresh = client.get(path, "Authorization", OWNER).json();
        while (fresh.getBoolean("stale") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            fresh = client.get(path, "Authorization", OWNER).json();
        }
        assertThat(fresh.getBoolean("stale"), is(false));
        assertThat(fresh.getInt("blueprintVersion"), is(2));
        // cache large 48.00 × 3
        assertThat(fresh.getJsonNumber("monthlyTotal").bigDecimalValue().toPlainString(), is("144.00"));
    }

    @Test
    void aBlueprintWithoutResourcesCostsNothingWithoutACall() {
        String id = create("[]");
        double before = requests(cost, "200");
        Response response = client.get("/api/v1/blueprints/" + id + "/cost", "Authorization", OWNER);
        assertThat(response.body(), response.status(), is(200));
        assertThat(response.json().getJsonNumber("monthlyTotal").bigDecimalValue().toPlainString(), is("0.00"));
        assertThat(requests(cost, "200"), is(before));
    }

    @Test
    void anUnpricedResourceIsA400AndIsNeverRetried() {
        String id = create("[{\"type\": \"quantum\", \"size\": \"small\", \"count\": 1, \"region\": \"us-east-1\"}]");
        double before = requests(cost, "400");
        Response response = client.get("/api/v1/blueprints/" + id + "/cost", "Authorization", OWNER);
        JsonObject problem = assertProblem(response, 400, "VALIDATION_FAILED");
        assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"), is("/resources/0/type"));
        assertThat("one request at cost-service", requests(cost, "400") - before, is(1.0));
    }

    @Test
    void aHungCostServiceIsA504AfterTheTimeout() {
        String id = create("[{\"type\": \"vm\", \"size\": \"small\", \"count\": 1, \"region\": \"us-east-1\"}]");
        cost.suspend();
        try {
            Response response = client.get("/api/v1/blueprints/" + id + "/cost", "Authorization", OWNER);
            assertProblem(response, 504, "UPSTREAM_TIMEOUT");
        } finally {
            cost.resume();
        }
    }

    @Test
    void a503FromCostServiceIsRetriedExactlyTheConfiguredAttempts() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // a cost-service whose fail-closed rate limit cannot reach its Redis: every estimate is a real 503
        try (ServiceProcess refusing = ServiceProcess.start(COST_JAR, costEnvironment(port, Map.of(
                "RATE_dash_LIMIT_REDIS_URL", "redis://127.0.0.1:" + deadPort(),
                "RATE_dash_LIMIT_POLICIES_IP_FAILURE", "closed")))) {
            blueprints.stop();
            blueprints = TestServices.start(downstream(port));
            client = HttpTestClient.create(blueprints.port());
            String id = create("[{\"type\": \"vm\", \"size\": \"small\", \"count\": 1, \"region\": \"us-east-1\"}]");
            Response response = client.get("/api/v1/blueprints/" + id + "/cost", "Authorization", OWNER);
            assertProblem(response, 503, "SERVICE_UNAVAILABLE");
            assertThat(response.header("Retry-After").isPresent(), is(true));
            assertThat("attempts: 3", requests(refusing, "503"), is(3.0));
        }
    }

    @Test
    void theBreakerOpensWhenCostServiceIsDownAndClosesWhenItIsBack() throws Exception {
        // a blueprint per call: estimates are cached, and a blueprint priced before would be answered stale
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            paths.add("/api/v1/blueprints/"
                              + create("[{\"type\": \"vm\", \"size\": \"small\", \"count\": 1, \"region\": \"us-east-1\"}]")
                              + "/cost");
        }
        assertThat(client.get(paths.get(0), "Authorization", OWNER).status(), is(200));
        cost.close();
        try {
            // window 4, failure ratio 50 %: every attempt fails, so the breaker opens within the first calls
            for (int i = 1; i <= 3; i++) {
                assertProblem(client.get(paths.get(i), "Authorization", OWNER), 503, "SERVICE_UNAVAILABLE");
            }
            assertThat(breakerState(), is(2.0));
            double rejected = metric(management(), "resilience_rejections_total", "cost-service");
            long start = System.nanoTime();
            Response paused = client.get(paths.get(4), "Authorization", OWNER);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(assertProblem(paused, 503, "SERVICE_UNAVAILABLE").getString("detail"),
                       containsString("calls to it are paused"));
            System.out.println("call with the breaker open answered in " + millis + " ms");
            // fails fast: refused by the open breaker without an attempt (the time is printed, not asserted)
            assertThat(metric(management(), "resilience_rejections_total", "cost-service") - rejected, is(1.0));
            assertThat(Long.parseLong(paused.header("Retry-After").orElseThrow()), lessThan(3L));
        } finally {
            cost = startCost(Map.of());
        }
        // the breaker's delay (1 s) passes, the next call is the half-open trial and closes it
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            status = client.get(paths.get(5), "Authorization", OWNER).status();
        }
        assertThat("back without restarting blueprint-service", status, is(200));
        assertThat(breakerState(), is(0.0));
        assertThat(metric(management(), "resilience_retries_total", "cost-service")
                           > 0, is(true));
    }

    private String create(String resources) {
        Response created = client.json("POST", "/api/v1/blueprints", """
                {"name": "costed-%s", "targetCloud": "aws", "resources": %s}""".formatted(System.nanoTime(), resources),
                                       "Authorization", OWNER);
        assertThat(created.body(), created.status(), is(201));
        return created.json().getString("id");
    }

    private double breakerState() {
        return metric(management(), "resilience_breaker_state", "cost-service");
    }

    private static ServiceProcess startCost(Map<String, String> extra) {
        return ServiceProcess.start(COST_JAR, costEnvironment(costPort, extra));
    }

    static Map<String, String> costEnvironment(int port, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SECRET_JWT_SIGNING_KEY", KEY);
        env.put("RATE_dash_LIMIT_POLICIES_IP_CAPACITY", "1000000");
        // cost-service checks its answers against its OpenAPI document too
        env.put("OPENAPI_VALIDATE_dash_RESPONSES", "true");
        return env;
    }

    static Map<String, String> downstream(int port) {
        Map<String, String> config = new HashMap<>();
        config.put("security.jwt.hmac-secret", KEY);
        config.put("rate-limit.policies.ip.capacity", "1000000");
        config.put("rate-limit.policies.expensive.capacity", "1000000");
        String prefix = "resilience.downstreams.cost-service.";
        config.put(prefix + "base-url", "http://127.0.0.1:" + port);
        config.put(prefix + "timeout", "PT2S");   // per attempt; generous so a cold cost-service on a busy machine answers
        config.put(prefix + "retry.attempts", "3");
        config.put(prefix + "retry.delay", "PT0.05S");
        config.put(prefix + "retry.overall-timeout", "PT3S");
        config.put(prefix + "breaker.window", "4");
        config.put(prefix + "breaker.failure-ratio", "50");
        config.put(prefix + "breaker.delay", "PT1S");
        return config;
    }

    /**
     * Requests cost-service answered with a status: for the estimate route, or, for 503, refused by a filter before
     * routing (route {@code unmatched}; the {@code /metrics} scrapes themselves are 200s).
     */
    // a counter read once it stopped moving for 200 ms: a request's timer is recorded just after its answer
    private static double settled(DoubleSupplier counter) throws InterruptedException {
        double last = counter.getAsDouble();
        while (true) {
            Thread.sleep(200);
            double now = counter.getAsDouble();
            if (now == last) {
                return now;
            }
            last = now;
        }
    }

    private static double requests(ServiceProcess service, String status) {
        String route = status.equals("503") ? "UNKNOWN" : CostEstimates.ESTIMATE_PATH;
        return HttpTestClient.create(service.managementPort()).get("/metrics").body().lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count{") && l.contains("status=\"" + status + "\"")
                        && l.contains("uri=\"" + route + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private HttpTestClient management() {
        return HttpTestClient.create(blueprints.managementPort());
    }

    static double metric(HttpTestClient service, String name, String downstream) {
        return service.get("/metrics").body().lines()
                .filter(l -> l.startsWith(name + "{") && l.contains("downstream=\"" + downstream + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static int deadPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
