package io.dharma.service;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.JsonObject;

import io.dharma.errors.ApiException;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class DharmaServiceTest {
    private static final ListAppender<ILoggingEvent> ACCESS = new ListAppender<>();
    private static final String SIGNING_KEY = Tokens.randomSecret();
    private static final String BEARER = "Bearer " + Tokens.hmac(SIGNING_KEY).valid("tester");
    private static DharmaService service;
    private static HttpTestClient client;
    private static HttpTestClient management;

    @BeforeAll
    static void start() {
        Config config = Config.just(ConfigSources.create(Map.of("server.port", "0",
                                                                "management.port", "0",
                                                                "server.host", "127.0.0.1",
                                                                "db.enabled", "false",
                                                                "service.drain-delay", "PT0S",
                                                                "openapi.validate-responses", "true",
                                                                "security.jwt.hmac-secret", SIGNING_KEY)));
        service = DharmaService.builder("test-service")
                .config(config)
                .shutdownHook(false)
                .api("/api/v1/things", ctx -> new ThingService())
                .start();
        client = HttpTestClient.create(service.port());
        management = HttpTestClient.create(service.managementPort());
        ACCESS.start();
        ((Logger) LoggerFactory.getLogger("access")).addAppender(ACCESS);
    }

    @AfterAll
    static void stop() {
        service.stop();
    }

    @Test
    void routesAreLabelledByTemplateInMetricsAndAccessLog() {
        String id = UUID.randomUUID().toString();
        assertThat(client.get("/api/v1/things/" + id, "Authorization", BEARER).status(), is(200));
        String metrics = management.get("/metrics").body();
        assertThat(metrics, containsString("uri=\"/api/v1/things/{id}\""));
        assertThat(metrics, not(containsString(id)));
        assertThat(awaitAccessLine("route=/api/v1/things/{id}"), is(true));
    }

    @Test
    void probesAndMetricsAreServedOnTheManagementPortOnlyAndNotAccessLogged() {
        int before = ACCESS.list.size();
        assertThat(management.get("/health/ready").status(), is(200));
        assertThat(management.get("/health/live").status(), is(200));
        assertThat(management.get("/health/started").status(), is(200));
        assertThat(management.get("/metrics").status(), is(200));
        assertThat(ACCESS.list.size(), is(before));
        for (String path : List.of("/health/ready", "/health/live", "/health/started", "/metrics")) {
            assertProblem(client.get(path, "Authorization", BEARER), 404, "NOT_FOUND");
        }
        assertProblem(management.get("/api/v1/things/1", "Authorization", BEARER), 404, "NOT_FOUND");
        assertThat(management.get("/health/ready").header("X-Frame-Options").orElse(""), is("DENY"));
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        assertProblem(client.get("/api/v1/nothing", "Authorization", BEARER), 404, "NOT_FOUND");
        Response wrong = client.send(client.request("/api/v1/things/1").header("Authorization", BEARER).DELETE().build());
        assertProblem(wrong, 405, "METHOD_NOT_ALLOWED");
        assertThat(wrong.header("Allow").orElseThrow(), is("GET, HEAD, POST"));
    }

    @Test
    void handlerFailuresAreProblemsWithTheStatusInTheAccessLog() {
        assertProblem(client.get("/api/v1/things/missing", "Authorization", BEARER), 404, "NOT_FOUND");
        assertProblem(client.get("/api/v1/things/boom", "Authorization", BEARER), 500, "INTERNAL_ERROR");
        assertThat(awaitAccessLine("status=500"), is(true));
    }

    @Test
    void aClientThatGoesAwayMidAnswerIsNotAServerError() throws Exception {
        ListAppender<ILoggingEvent> problems = new ListAppender<>();
        problems.start();
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("io.dharma.errors.ProblemErrorHandler"),
                                       (Logger) LoggerFactory.getLogger("io.dharma.errors.RequestGuard"));
        loggers.forEach(logger -> logger.addAppender(problems));
        try {
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket("127.0.0.1", service.port())) {
                    socket.getOutputStream().write(("GET /api/v1/things/" + i + "/download HTTP/1.1\r\nHost: localhost\r\n"
                            + "Authorization: " + BEARER + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII),
                               is("HTTP/1.1 200"));
                    // gone after the first bytes of a 64 MB answer, with a reset
                    socket.setSoLinger(true, 0);
                }
                assertThat(awaitAccessLine("route=/api/v1/things/{id}/download"), is(true));
                synchronized (ACCESS) {
                    ACCESS.list.clear();
                }
            }
            synchronized (problems) {
                List<String> logged = problems.list.stream()
                        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                        .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                        .toList();
                assertThat(logged, is(List.of()));
            }
        } finally {
            loggers.forEach(logger -> logger.detachAppender(problems));
        }
    }

    @Test
    void securityIsInstalled() {
        Response missing = client.get("/api/v1/things/1");
        assertProblem(missing, 401, "MISSING_TOKEN");
        assertThat(missing.header("X-Frame-Options").orElse(""), is("DENY"));
        assertThat(awaitAccessLine("status=401"), is(true));
        client.get("/api/v1/things/who", "Authorization", BEARER);
        assertThat(awaitAccessLine("userId=tester"), is(true));
    }

    @Test
    void routesAreTheApiOperations() {
        assertThat(List.copyOf(service.routes()), is(List.of("GET /api/v1/things/{id}", "GET /api/v1/things/{id}/download",
                                                             "POST /api/v1/things/{id}")));
    }

    @Test
    void theDocumentIsServedWithoutTokenOrRateLimit() {
        Response document = client.get("/openapi");
        assertThat(document.status(), is(200));
        assertThat(document.body(), containsString("/api/v1/things/{id}"));
        assertThat(document.header("RateLimit").isPresent(), is(false));
        assertThat(client.get("/openapi/problem.yaml").body(), containsString("Problem:"));
    }

    @Test
    void requestsAreValidatedAgainstTheDocumentBeforeTheHandler() {
        Response valid = client.json("POST", "/api/v1/things/1", "{\"name\": \"bolt\"}", "Authorization", BEARER);
        assertThat(valid.body(), valid.status(), is(200));
        assertThat(valid.json().getString("name"), is("bolt"));
        JsonObject body = assertProblem(client.json("POST", "/api/v1/things/1", "{\"name\": \"\"}", "Authorization", BEARER),
                                        400, "VALIDATION_FAILED");
        assertThat(body.getJsonArray("errors").getJsonObject(0).getString("field"), is("/name"));
        JsonObject path = assertProblem(client.get("/api/v1/things/" + "x".repeat(41), "Authorization", BEARER),
                                        400, "VALIDATION_FAILED");
        assertThat(path.getJsonArray("errors").getJsonObject(0).getString("field"), is("path/id"));
    }

    @Test
    void aTakenPortFailsTheStart() throws java.io.IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            DharmaService.Builder builder = DharmaService.builder("port-clash")
                    .config(Config.just(ConfigSources.create(Map.of("server.port", Integer.toString(taken.getLocalPort()),
                                                                    "management.port", "0",
                                                                    "server.host", "127.0.0.1",
                                                                    "db.enabled", "false"))))
                    .shutdownHook(false);
            ServiceStartException failure = org.junit.jupiter.api.Assertions.assertThrows(ServiceStartException.class,
                                                                                          builder::start);
            assertThat(failure.getMessage(), containsString("could not start listening"));
        }
    }

    @Test
    void aPerTierCapacityForATierNoTokenCarriesFailsTheStart() {
        DharmaService.Builder builder = DharmaService.builder("unknown-tier")
                .config(Config.just(ConfigSources.create(Map.of("server.port", "0",
                                                                "management.port", "0",
                                                                "server.host", "127.0.0.1",
                                                                "db.enabled", "false",
                                                                "rate-limit.policies.user.key", "user",
                                                                "rate-limit.policies.user.period", "PT1H",
                                                                "rate-limit.policies.user.capacity", "100",
                                                                "rate-limit.policies.user.per-tier.platinum", "50"))))
                .shutdownHook(false);
        ServiceConfigException failure = org.junit.jupiter.api.Assertions.assertThrows(ServiceConfigException.class,
                                                                                        builder::start);
        assertThat(failure.getMessage(), containsString("unknown tier 'PLATINUM'"));
    }

    @Test
    void aFailedMigrationFailsTheStartAndFreesThePort() throws java.io.IOException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        DharmaService.Builder builder = DharmaService.builder("broken-migration")
                .config(Config.just(ConfigSources.create(Map.of("server.port", Integer.toString(port),
                                                                "management.port", "0",
                                                                "server.host", "127.0.0.1",
                                                                "db.url", "jdbc:h2:mem:broken-migration",
                                                                "db.migrations.locations", "classpath:db/broken"))))
                .shutdownHook(false);
        io.dharma.data.DataException failure = org.junit.jupiter.api.Assertions.assertThrows(
                io.dharma.data.DataException.class, builder::start);
        assertThat(failure.getMessage(), containsString("migration of broken-migration failed"));
        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort(), is(port));
        }
    }

    @Test
    void shutdownTurnsReadinessDown() {
        DharmaService other = DharmaService.builder("short-lived")
                .config(Config.just(ConfigSources.create(Map.of("server.port", "0", "management.port", "0",
                                                                "db.enabled", "false", "service.drain-delay", "PT0S"))))
                .shutdownHook(false)
                .start();
        HttpTestClient otherClient = HttpTestClient.create(other.managementPort());
        assertThat(otherClient.get("/health/ready").status(), is(200));
        other.context().probes().markDraining();
        assertThat(otherClient.get("/health/ready").status(), is(503));
        assertThat(otherClient.get("/health/live").status(), is(200));
        other.shutdown();
    }

    /** The access line is written after the response is sent, so the test may see the response first. */
    private static boolean awaitAccessLine(String fragment) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            synchronized (ACCESS) {
                if (List.copyOf(ACCESS.list).stream().anyMatch(e -> e.getFormattedMessage().contains(fragment)
                        || java.util.Arrays.toString(e.getArgumentArray()).contains(fragment))) {
                    return true;
                }
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private static final class ThingService implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/{id}", (req, res) -> {
                String id = req.path().pathParameters().get("id");
                switch (id) {
                case "missing" -> throw ApiException.notFound("no thing");
                case "boom" -> throw new IllegalStateException("internal detail");
                default -> res.header(HeaderNames.CONTENT_TYPE, "application/json").send("{\"id\":\"" + id + "\"}");
                }
            }).get("/{id}/download", (req, res) -> {
                byte[] chunk = new byte[64 * 1024];
                res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
                try (OutputStream out = res.outputStream()) {
                    for (int i = 0; i < 1024; i++) {
                        out.write(chunk);
                    }
                }
            }).post("/{id}", (req, res) -> res.send(Requests.json(req, Thing.class)));
        }
    }

    /**
     * Body of {@code POST /api/v1/things/{id}}.
     *
     * @param name name
     */
    public record Thing(String name) {
    }
}
