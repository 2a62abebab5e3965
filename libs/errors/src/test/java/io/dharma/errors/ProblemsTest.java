package io.dharma.errors;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.json.JsonObject;

import io.dharma.logging.Logging;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.RawHttp;
import io.dharma.testing.RawHttp.Answer;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertNoInternals;
import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

@ServerTest
class ProblemsTest {
    private static final ErrorsConfig CONFIG = new ErrorsConfig("https://example.test/problems", 1000, List.of("/api/"));

    private final HttpTestClient client;
    private final RawHttp raw;

    ProblemsTest(URI uri) {
        this.client = HttpTestClient.create(uri.getPort());
        this.raw = RawHttp.create(uri.getPort(), Duration.ofSeconds(10));
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, Errors.directHandler());
        }
        server.directHandlers(handlers.build()).maxPayloadSize(CONFIG.maxBodySize());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.addFilter(Logging.correlationFilter())
                .error(Throwable.class, Errors.errorHandler(CONFIG, List.of(ProblemsTest::translate)))
                .addFilter(Errors.bodyFilter(CONFIG))
                .get("/api/missing", (req, res) -> {
                    throw ApiException.notFound("Widget 7 does not exist");
                })
                .get("/api/bug", (req, res) -> {
                    throw new IllegalStateException("SELECT password FROM users WHERE id = 7");
                })
                .get("/api/translated", (req, res) -> {
                    throw new TranslatableException();
                })
                .get("/api/busy", (req, res) -> {
                    throw ApiException.unavailable("The database is busy", Duration.ofMillis(1500));
                })
                .post("/api/json", (req, res) -> res.send(req.content().as(JsonObject.class).toString()))
                .post("/api/validate", (req, res) -> {
                    Validation.start()
                            .length("name", null, 3, 10)
                            .oneOf("cloud", "ibm", List.of("aws", "gcp"))
                            .range("count", 0, 1, 5)
                            .throwIfInvalid();
                    res.send("unreachable");
                });
    }

    @Test
    void expectedFailureBecomesItsProblem() {
        JsonObject problem = assertProblem(client.get("/api/missing"), 404, "NOT_FOUND");
        assertThat(problem.getString("detail"), is("Widget 7 does not exist"));
        assertThat(problem.getString("type"), is("https://example.test/problems/not-found"));
        assertThat(problem.getString("instance"), is("/api/missing"));
    }

    @Test
    void unexpectedFailureIsA500WithoutInternals() {
        Response res = client.get("/api/bug");
        assertProblem(res, 500, "INTERNAL_ERROR");
        assertThat(res.body(), not(containsString("password")));
        assertThat(res.body(), not(containsString("IllegalState")));
    }

    @Test
    void translatorsRunBeforeTheFallback() {
        assertProblem(client.get("/api/translated"), 409, "CONFLICT");
    }

    @Test
    void unavailableCarriesRetryAfterInWholeSeconds() {
        Response res = client.get("/api/busy");
        assertProblem(res, 503, "SERVICE_UNAVAILABLE");
        assertThat(res.header("Retry-After").orElseThrow(), is("2"));
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(client.json("POST", "/api/json", "{\"a\": "), 400, "MALFORMED_JSON");
        assertThat(client.json("POST", "/api/json", "{\"a\": 1}").status(), is(200));
    }

    @Test
    void validationListsEveryField() {
        JsonObject problem = assertProblem(client.json("POST", "/api/validate", "{}"), 400, "VALIDATION_FAILED");
        assertThat(problem.getJsonArray("errors"), hasSize(3));
        assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"), is("name"));
        assertThat(problem.getString("detail"), is("3 fields are invalid"));
    }

    @Test
    void bodyOverTheLimitIs413() {
        assertProblem(client.json("POST", "/api/json", "{\"a\": \"" + "x".repeat(2000) + "\"}"), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        byte[] big = ("{\"a\": \"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Response res = client.send(client.request("/api/json").header("Content-Type", "application/json")
                                           .POST(HttpRequest.BodyPublishers.ofInputStream(
                                                   () -> new java.io.ByteArrayInputStream(big)))
                                           .build());
        assertThat(res.body(), res.status(), is(413));
        assertThat(res.header("Content-Type").orElse(""), startsWith("application/problem+json"));
        assertNoInternals(res.body());
    }

    @Test
    void nonJsonBodyOnJsonPathIs415() {
        Response res = client.send(client.request("/api/json").header("Content-Type", "text/plain")
                                           .POST(HttpRequest.BodyPublishers.ofString("hello")).build());
        assertProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void malformedRequestLineIsAProblemFromTheDirectHandler() {
        assertDirectProblem(raw.send("GET /api/missing HTTP/1.1", List.of("Bad Header Without Colon"), ""), 400,
                            "BAD_REQUEST");
    }

    @Test
    void headersOverTheLimitAre431() {
        // Helidon 4.1.2 would answer 400: its header parser reports the limit like any malformed header
        assertDirectProblem(raw.send("GET /api/missing HTTP/1.1", List.of("X-Filler: " + "a".repeat(20_000)), ""), 431,
                            "HEADERS_TOO_LARGE");
    }

    @Test
    void aRequestTargetOverTheLimitIs414WithItsOwnCode() {
        assertDirectProblem(raw.send("GET /api/" + "a".repeat(10_000) + " HTTP/1.1", List.of(), ""), 414,
                            "URI_TOO_LONG");
    }

    /** An answer of the direct handler: the status, as the problem's status member too, and its code. */
    private static void assertDirectProblem(Answer answer, int status, String code) {
        assertThat(answer.body(), answer.status(), is(status));
        assertThat(answer.header("Content-Type").orElse(""), startsWith("application/problem+json"));
        assertThat(answer.body(), containsString("\"status\":" + status + ","));
        assertThat(answer.body(), containsString("\"code\":\"" + code + "\""));
        assertNoInternals(answer.body());
    }

    private static Optional<ApiException> translate(Throwable t) {
        return t instanceof TranslatableException ? Optional.of(ApiException.conflict("Duplicate")) : Optional.empty();
    }

    private static final class TranslatableException extends RuntimeException {
        private TranslatableException() {
            super("duplicate key value violates unique constraint \"widgets_pkey\"");
        }
    }
}
