package io.dharma.testing;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The black-box smoke check every Dharma service passes: its packaged jar is started with {@link ServiceProcess} (as
 * {@code java -jar}, on a free port) and checked from outside, the way an operator and a platform see it. A service
 * runs it with one failsafe class:
 * <pre>{@code
 * class BlueprintSmokeIT extends SmokeCheck {
 *     BlueprintSmokeIT() {
 *         super(Path.of("target", "blueprint-service.jar"), "/api/v1/blueprints");
 *     }
 * }
 * }</pre>
 * Checks: readiness 200 with a JSON body, liveness 200, both and {@code /metrics} on the management port only, an
 * unknown route is a 404 problem carrying the correlation id,
 * malformed JSON posted to the API collection is a 400 MALFORMED_JSON problem, {@code /metrics} has
 * {@code http_server_requests_seconds} labelled with the route template (every timer as buckets, no quantiles), and
 * every line the process writes (startup included) is a JSON object, the access-log line of a request carrying its
 * {@code X-Correlation-Id} as {@code correlationId}; where the packaged configuration turns the API reference page on,
 * it is served publicly and, in headless Chromium, lists every operation of the service's document; a mistyped
 * setting ({@code SECURITY_ENABLED=ture}) stops the start with one JSON error line naming it (the JVM's trace of the
 * uncaught exception follows on stderr).
 * <p>
 * This class is the one place where platform-wide expectations live: a new capability (security headers, rate
 * limits, tracing, ...) adds a {@code @Test} method here, and every service's smoke test checks it from then on.
 * Subclasses adapt the environment ({@link #environment()}) and the headers their API needs ({@link #apiHeaders()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SmokeCheck {
    /** Longest wait for a log line to appear after its request was answered. */
    public static final Duration LOG_WAIT = Duration.ofSeconds(5);

    /** Issuer, audience and HS256 key the service is started with, so the check can mint tokens. */
    private final String signingKey = Tokens.randomSecret();
    private final Tokens tokens = Tokens.hmac(signingKey);
    private final Path jar;
    private final String apiCollection;
    /** The environment the service was started with. */
    private Map<String, String> startedWith = Map.of();
    private @Nullable ServiceProcess service;
    private @Nullable HttpTestClient client;
    private @Nullable HttpTestClient management;

    /**
     * Create the check for a packaged service.
     *
     * @param jar           the service jar, e.g. {@code Path.of("target", "blueprint-service.jar")} (failsafe runs after
     *                      {@code package}, so it exists); its {@code libs/} folder beside it
     * @param apiCollection path of the service's API that answers {@link #sampleCall} with 200 and accepts a JSON
     *                      {@code POST}, e.g. {@code /api/v1/blueprints}
     */
    protected SmokeCheck(Path jar, String apiCollection) {
        this.jar = jar;
        this.apiCollection = apiCollection;
    }

    /**
     * Extra environment of the service process; default none, so the service runs on its embedded defaults.
     * {@code SERVER_PORT} and the token settings ({@code SECRET_JWT_SIGNING_KEY}, issuer, audience) are always set, and
     * {@code OPENAPI_VALIDATE_dash_RESPONSES=true} unless set here: every answer is checked against the service's
     * OpenAPI document, and one that breaks it is a 500.
     *
     * @return environment variables, e.g. {@code DB_URL}
     */
    protected Map<String, String> environment() {
        return Map.of();
    }

    /**
     * Headers every request to the API collection carries; default a valid bearer token of subject {@code smoke-test}.
     *
     * @return header names to values
     */
    protected Map<String, String> apiHeaders() {
        return Map.of("Authorization", "Bearer " + tokens.valid("smoke-test"));
    }

    /**
     * The running service, for checks a subclass adds.
     *
     * @return the service process
     */
    protected final ServiceProcess service() {
        if (service == null) {
            throw new IllegalStateException("The service is not started");
        }
        return service;
    }

    /**
     * A client of the running service.
     *
     * @return client on the service's port
     */
    protected final HttpTestClient client() {
        if (client == null) {
            throw new IllegalStateException("The service is not started");
        }
        return client;
    }

    /**
     * Start the jar and wait until it is ready.
     */
    @BeforeAll
    protected void startService() {
        Map<String, String> env = new HashMap<>(environment());
        // the signing key comes through the secret store (env source), as a rotated key would in production
        env.put("SECRET_JWT_SIGNING_KEY", signingKey);
        env.put("SECURITY_JWT_ISSUER", Tokens.ISSUER);
        env.put("SECURITY_JWT_AUDIENCE", Tokens.AUDIENCE);
        // a service with an OpenAPI document checks every answer against it: one that breaks it is a 500
        env.putIfAbsent("OPENAPI_VALIDATE_dash_RESPONSES", "true");
        startedWith = Map.copyOf(env);
        ServiceProcess started = ServiceProcess.start(jar, env);
        service = started;
        client = HttpTestClient.create(started.port());
        management = HttpTestClient.create(started.managementPort());
    }

    /**
     * A client of the running service's management port (probes, metrics).
     *
     * @return client on the management port
     */
    protected final HttpTestClient management() {
        if (management == null) {
            throw new IllegalStateException("The service is not started");
        }
        return management;
    }

    /**
     * Stop the service.
     */
    @AfterAll
    protected void stopService() {
        if (service != null) {
            service.close();
        }
    }

    /**
     * Readiness answers 200 with a JSON object whose status is UP.
     */
    @Test
    public void readinessIsUpWithJson() {
        HttpTestClient.Response ready = management().get("/health/ready");
        assertThat(ready.body(), ready.status(), is(200));
        assertThat(ready.header("Content-Type").orElse(""), startsWith("application/json"));
        assertThat(ready.body(), ready.json().getString("status"), is("UP"));
    }

    /**
     * Liveness answers 200.
     */
    @Test
    public void livenessIsUp() {
        HttpTestClient.Response live = management().get("/health/live");
        assertThat(live.body(), live.status(), is(200));
    }

    /**
     * Probes and metrics are served on the management port only: the API port answers 404 problems for them.
     */
    @Test
    public void probesAndMetricsOnlyOnTheManagementPort() {
        for (String path : List.of("/health/ready", "/health/live", "/health/started", "/metrics")) {
            assertProblem(client().send(request(path, Map.of()).build()), 404, "NOT_FOUND");
        }
        assertThat(management().get("/metrics").status(), is(200));
        assertProblem(management().get(apiCollection), 404, "NOT_FOUND");
    }

    /**
     * {@code HEAD} of the API collection answers like its {@code GET}: same status and headers, no body.
     */
    @Test
    public void headAnswersLikeGet() {
        HttpTestClient.Response get = client().send(apiRequest(Map.of()).GET().build());
        HttpTestClient.Response head = client().send(apiRequest(Map.of())
                                                              .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.status(), is(get.status()));
        assertThat(head.body(), is(""));
        assertThat(head.header("Content-Type"), is(get.header("Content-Type")));
        assertThat(head.header("ETag").isPresent(), is(get.header("ETag").isPresent()));
    }

    /**
     * A request with a Content-Type that cannot be parsed is answered at once with a 400 problem.
     */
    @Test
    public void malformedContentTypeIsAProblem() {
        HttpTestClient.Response res = client().send(apiRequest(Map.of("Content-Type", "application/json;;a=b=c"))
                                                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                                            .build());
        assertProblem(res, 400, "BAD_REQUEST");
    }

    /**
     * Headers over the server's limit (16 KiB by default) are a 431 problem (RFC 6585), not a dropped connection.
     */
    @Test
    public void oversizedHeadersAreAProblem() {
        HttpTestClient.Response res = client().send(apiRequest(Map.of("X-Filler", "a".repeat(20_000))).GET().build());
        assertProblem(res, 431, "HEADERS_TOO_LARGE");
    }

    /**
     * The packaged configuration closes connections that carry no request ({@code server.idle-connection-timeout},
     * at most five minutes, checked at least every 30 s): idle keep-alive connections and clients that never finish
     * their request line do not pile up.
     */
    @Test
    public void idleConnectionsAreClosed() throws IOException {
        Config server = packagedConfig().get("server");
        Duration timeout = server.get("idle-connection-timeout").as(Duration.class).orElse(Duration.ofMinutes(5));
        Duration period = server.get("idle-connection-period").as(Duration.class).orElse(Duration.ofMinutes(2));
        assertThat("server.idle-connection-timeout " + timeout, timeout.compareTo(Duration.ofMinutes(5)) < 0, is(true));
        assertThat("server.idle-connection-period " + period, period.compareTo(Duration.ofSeconds(30)) <= 0, is(true));
    }

    /**
     * Where the packaged configuration turns the API reference page on ({@code openapi.ui.enabled}), the page, its
     * script and styles are served without a token and never rate-limited, the page under a policy that allows no
     * inline script; any other file below it is a 404 problem. Where it is off, the page's path is a 404 problem.
     */
    @Test
    public void apiReferencePageIsServedWhereEnabled() throws IOException {
        Config openapi = packagedConfig().get("openapi");
        String document = openapi.get("path").asString().orElse("/openapi");
        String ui = openapi.get("ui.path").asString().orElse(document + "/ui");
        if (openapi.get("ui.enabled").asBoolean().orElse(false)) {
            ApiReferenceCheck.assertServed(client(), ui, document);
        } else {
            assertProblem(client().get(ui), 404, "NOT_FOUND");
        }
    }

    /**
     * Where the page is on, headless Chromium renders it: every operation of the service's document is listed, the
     * page breaks no rule of its policy, and its screenshot ({@code api-reference.png} beside the jar) shows the
     * operations, not a blank page. Skipped with one line where {@code chromium} is not installed (failed with
     * {@code -Ddharma.require.services=true}).
     */
    @Test
    @RequiresServices(RequiresServices.Service.CHROMIUM)
    public void apiReferenceListsEveryOperationInABrowser() throws IOException {
        Config openapi = packagedConfig().get("openapi");
        Assumptions.assumeTrue(openapi.get("ui.enabled").asBoolean().orElse(false), "openapi.ui.enabled is false");
        String document = openapi.get("path").asString().orElse("/openapi");
        String ui = openapi.get("ui.path").asString().orElse(document + "/ui");
        ApiReferenceCheck.assertRendered(client(), ui, document, jar.resolveSibling("api-reference.png"));
    }

    /**
     * An unknown route is a 404 problem that carries the request's correlation id (header and body).
     */
    @Test
    public void unknownRouteIsAProblemWithCorrelationId() {
        String correlationId = correlationId();
        HttpTestClient.Response res = client().send(request("/smoke/no-such-route", Map.of("X-Correlation-Id", correlationId))
                                                            .build());
        JsonObject problem = assertProblem(res, 404, "NOT_FOUND");
        assertThat(problem.getString("correlationId"), is(correlationId));
        assertThat("tracing is off on embedded defaults: no (all-zero) trace id", problem.containsKey("traceId"),
                   is(false));
    }

    /**
     * Malformed JSON posted to the API collection is a 400 MALFORMED_JSON problem.
     */
    @Test
    public void malformedJsonIsAProblem() {
        HttpTestClient.Response res = client().send(apiRequest(Map.of("Content-Type", "application/json"))
                                                            .POST(HttpRequest.BodyPublishers.ofString("{\"smoke\": "))
                                                            .build());
        assertProblem(res, 400, "MALFORMED_JSON");
    }

    /**
     * The metrics table (Markdown, e.g. the project's {@code docs/operations.md}) that every metric family the service
     * publishes must be listed in, with its exact labels; empty (the default) leaves that comparison out.
     *
     * @return path of the document
     */
    protected Optional<Path> metricsTable() {
        return Optional.empty();
    }

    /**
     * {@code /metrics} speaks one published convention, Micrometer's, so stock dashboards and alerts work:
     * {@code http_server_requests_seconds{exception,method,outcome,status,uri}}, HikariCP's {@code hikaricp_*} pool
     * meters, the JVM binders' {@code jvm_*} and {@code process_*}; and, where the service names its docs, every family
     * it publishes is in their table with exactly the labels it has.
     */
    @Test
    public void metricsFollowOneConventionAndTheDocumentedTable() throws IOException {
        HttpTestClient.Response list = client().send(sampleCall(apiRequest(Map.of())).build());
        assertThat(list.body(), list.status(), is(200));
        client().get("/no/such/path");
        Map<String, Set<String>> families = MetricFamilies.scrape(management().get("/metrics").body());
        assertThat(families.get("http_server_requests_seconds"),
                   is(Set.of("exception", "method", "outcome", "status", "uri")));
        assertThat(families.get("hikaricp_connections_active"), is(Set.of("pool")));
        assertThat(families.get("jvm_memory_used_bytes"), is(Set.of("area", "id")));
        // a GC pause timer appears with the first pause of its kind: a service that has not paused yet has none, so
        // the family is checked only when present
        assertThat(families.containsKey("jvm_gc_max_data_size_bytes"), is(true));
        assertThat(families.getOrDefault("jvm_gc_pause_seconds", Set.of("action", "cause", "gc")),
                   is(Set.of("action", "cause", "gc")));
        assertThat(families.containsKey("process_cpu_usage"), is(true));
        assertThat(families.containsKey("process_files_open_files"), is(true));
        if (metricsTable().isPresent()) {
            Map<String, Set<String>> documented = MetricFamilies.table(Files.readString(metricsTable().get()));
            List<String> differing = families.entrySet().stream()
                    .filter(family -> !family.getValue().equals(documented.get(family.getKey())))
                    .map(family -> family.getKey() + family.getValue() + " documented as "
                            + documented.get(family.getKey()))
                    .toList();
            assertThat("families missing from " + metricsTable().get() + " or with other labels", differing, empty());
        }
    }

    /**
     * {@code /metrics} serves the request timer labelled by route template, never by raw path, and every timer as
     * histogram buckets: no timer publishes client-side quantiles (they cannot be aggregated across instances, and
     * each recording of one costs a request more than the rest of its metrics).
     */
    @Test
    public void metricsAreLabelledByRoute() {
        HttpTestClient.Response list = client().send(sampleCall(apiRequest(Map.of())).build());
        assertThat(list.body(), list.status(), is(200));
        HttpTestClient.Response metrics = management().get("/metrics");
        assertThat(metrics.status(), is(200));
        List<String> timer = metrics.body().lines().filter(l -> l.startsWith("http_server_requests_seconds")).toList();
        assertThat(metrics.body(), timer, not(empty()));
        assertThat(String.join("\n", timer), containsString("uri=\"" + apiCollection + "\""));
        assertThat(String.join("\n", timer), containsString("http_server_requests_seconds_bucket{"));
        assertThat(metrics.body().lines().filter(l -> l.contains("quantile=\"")).toList(), empty());
        // every timer, the libraries' included (rate-limit decisions, cache loads, downstream calls)
        List<String> timersWithoutBuckets = metrics.body().lines()
                .filter(l -> l.contains("_seconds_count{"))
                .map(l -> l.substring(0, l.indexOf("_count{")))
                .distinct()
                .filter(name -> !metrics.body().contains(name + "_bucket{"))
                .toList();
        assertThat(timersWithoutBuckets, empty());
    }

    /**
     * Every line of the process output is a JSON object, and a request's access-log line carries its correlation id.
     */
    @Test
    public void logsAreJsonLinesWithCorrelationIds() {
        String correlationId = correlationId();
        HttpTestClient.Response res = client().send(sampleCall(apiRequest(Map.of("X-Correlation-Id", correlationId))).build());
        assertThat(res.header("X-Correlation-Id").orElse(""), is(correlationId));
        // problems and the probes are logged too
        client().get("/smoke/no-such-route");
        management().get("/health/ready");

        Optional<JsonObject> access = awaitLine(line -> "access".equals(text(line, "logger"))
                && correlationId.equals(text(line, "correlationId")));
        assertThat("no access-log line with correlationId " + correlationId + " in\n" + String.join("\n", service().output()),
                   access.isPresent(), is(true));
        List<String> notJson = new ArrayList<>();
        for (String line : service().output()) {
            if (parse(line).isEmpty()) {
                notJson.add(line);
            }
        }
        assertThat("lines that are not JSON objects", notJson, is(empty()));
    }

    /**
     * A setting of the wrong type stops the start: a boolean typo ({@code SECURITY_ENABLED=ture}, which Helidon alone
     * would read as {@code false}) and a duration that is not one each end the process with a non-zero exit code and
     * one JSON {@code ERROR} line naming the key and the value.
     */
    @Test
    public void aMistypedSettingStopsTheStartWithOneClearLine() {
        Map<String, String> mistakes = Map.of("SECURITY_ENABLED", "security.enabled", "HEALTH_TIMEOUT", "health.timeout");
        mistakes.forEach((variable, key) -> {
            Map<String, String> env = new HashMap<>(startedWith);
            env.remove("SERVER_PORT");
            env.remove("MANAGEMENT_PORT");
            env.put(variable, "ture");
            try (ServiceProcess refused = ServiceProcess.launch(jar, env)) {
                assertThat(variable + "=ture", refused.awaitExit(Duration.ofMinutes(1)), is(not(0)));
                List<JsonObject> errors = refused.output().stream()
                        .flatMap(line -> parse(line).stream())
                        .filter(line -> "ERROR".equals(text(line, "level")))
                        .toList();
                assertThat(String.join("\n", refused.output()), errors.size(), is(1));
                assertThat(text(errors.getFirst(), "message"), containsString("'" + key + "'"));
                assertThat(text(errors.getFirst(), "message"), containsString("'ture'"));
            }
        });
    }

    /**
     * The API needs a token: without one the collection answers 401 MISSING_TOKEN with a Bearer challenge, with an
     * expired one 401 TOKEN_EXPIRED.
     */
    @Test
    public void apiWithoutValidTokenIsUnauthorized() {
        HttpTestClient.Response missing = client().get(apiCollection);
        assertProblem(missing, 401, "MISSING_TOKEN");
        assertThat(missing.header("WWW-Authenticate").orElse(""), startsWith("Bearer "));
        HttpTestClient.Response expired = client().send(client().request(apiCollection)
                                                                .header("Authorization", "Bearer " + tokens.expired("smoke-test"))
                                                                .build());
        assertProblem(expired, 401, "TOKEN_EXPIRED");
    }

    /**
     * Every response carries the security headers and no server name: a 200, a 404 problem and a 401 problem.
     */
    @Test
    public void securityHeadersOnEveryResponse() {
        List<HttpTestClient.Response> responses = List.of(client().send(sampleCall(apiRequest(Map.of())).build()),
                                                          client().send(request("/smoke/none", Map.of()).build()),
                                                          client().get(apiCollection),
                                                          management().get("/health/ready"));
        for (HttpTestClient.Response res : responses) {
            String what = res.status() + " " + res.raw().request().uri().getPath();
            assertThat(what, res.header("Content-Security-Policy").orElse(""), containsString("default-src 'none'"));
            assertThat(what, res.header("X-Content-Type-Options").orElse(""), is("nosniff"));
            assertThat(what, res.header("X-Frame-Options").orElse(""), is("DENY"));
            assertThat(what, res.header("Strict-Transport-Security").isPresent(), is(true));
            assertThat(what, res.header("Referrer-Policy").isPresent(), is(true));
            assertThat(what, res.header("Server").isPresent(), is(false));
        }
    }

    /**
     * API answers carry the IETF rate-limit headers of the policies that applied; probes are never limited.
     */
    @Test
    public void rateLimitHeadersOnApiResponses() {
        HttpTestClient.Response res = client().send(sampleCall(apiRequest(Map.of())).build());
        assertThat(res.body(), res.status(), is(200));
        assertThat(res.header("RateLimit-Policy").orElse(""), containsString("\"ip\";q="));
        assertThat(res.header("RateLimit").orElse(""), containsString("\"ip\";r="));
        assertThat(management().get("/health/ready").header("RateLimit").isPresent(), is(false));
    }

    /**
     * The configuration the service runs with: the jar's {@code application.yaml} under the environment it was
     * started with.
     */
    private Config packagedConfig() throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry("application.yaml");
            assertThat("application.yaml in " + jar, entry != null, is(true));
            String yaml = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
            return Config.just(ConfigSources.create(EnvironmentVariables.expand(startedWith)),
                               ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML));
        }
    }

    /**
     * Turn a request to the API path (token and headers set) into a call that succeeds with 200: {@code GET} of the
     * collection by default; override for an API whose sample call is a {@code POST}.
     *
     * @param request request to the API path with its headers
     * @return the sample call
     */
    protected HttpRequest.Builder sampleCall(HttpRequest.Builder request) {
        return request.GET();
    }

    private HttpRequest.Builder apiRequest(Map<String, String> extraHeaders) {
        return request(apiCollection, extraHeaders);
    }

    private HttpRequest.Builder request(String path, Map<String, String> extraHeaders) {
        HttpRequest.Builder request = client().request(path);
        apiHeaders().forEach(request::header);
        extraHeaders.forEach(request::header);
        return request;
    }

    private Optional<JsonObject> awaitLine(Predicate<JsonObject> wanted) {
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        do {
            Optional<JsonObject> found = service().output().stream()
                    .map(SmokeCheck::parse)
                    .flatMap(Optional::stream)
                    .filter(wanted)
                    .findFirst();
            if (found.isPresent()) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    private static Optional<JsonObject> parse(String line) {
        try (JsonReader reader = Json.createReader(new StringReader(line))) {
            JsonValue value = reader.readValue();
            return value instanceof JsonObject object ? Optional.of(object) : Optional.empty();
        } catch (JsonException e) {
            return Optional.empty();
        }
    }

    private static @Nullable String text(JsonObject line, String field) {
        return line.get(field) instanceof JsonString value ? value.getString() : null;
    }

    private static String correlationId() {
        return "smoke-" + UUID.randomUUID();
    }
}
