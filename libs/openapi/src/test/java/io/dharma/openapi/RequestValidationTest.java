package io.dharma.openapi;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.JsonObject;

import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.logging.Logging;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Requests that break the document are answered 400 / 415 before the handler runs; valid ones reach it with their body
 * in {@link ValidatedBody}; requests the document does not cover pass untouched.
 */
@ServerTest
class RequestValidationTest {
    private static final AtomicInteger HANDLED = new AtomicInteger();
    private static final String VALID = """
            {"name": "gear", "color": "red", "parts": [{"type": "bolt", "count": 2}]}""";

    private final HttpTestClient client;

    RequestValidationTest(URI uri) {
        this.client = HttpTestClient.create(uri.getPort());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        OpenApi openapi = Fixtures.widgets(OpenApiConfig.create());
        routing.addFilter(Logging.correlationFilter())
                .error(Throwable.class, Errors.errorHandler(ErrorsConfig.create(), List.of()));
        openapi.requestValidation().ifPresent(routing::addFilter);
        routing.post("/widgets", (req, res) -> {
                    HANDLED.incrementAndGet();
                    res.status(201).send(new String(ValidatedBody.from(req.context()).orElseThrow().stream().readAllBytes()));
                })
                .get("/widgets", (req, res) -> {
                    HANDLED.incrementAndGet();
                    res.send("{\"data\": []}");
                })
                .put("/widgets/{id}", (req, res) -> {
                    HANDLED.incrementAndGet();
                    res.send("{}");
                })
                .get("/search", (req, res) -> {
                    HANDLED.incrementAndGet();
                    res.status(204).send();
                })
                .get("/filter", (req, res) -> {
                    HANDLED.incrementAndGet();
                    res.status(204).send();
                })
                .post("/undocumented", (req, res) -> res.send(req.content().as(String.class)));
    }

    @BeforeEach
    void reset() {
        HANDLED.set(0);
    }

    @Test
    void validRequestReachesTheHandlerWithItsBody() {
        Response created = client.json("POST", "/widgets", VALID);
        assertThat(created.body(), created.status(), is(201));
        assertThat(created.body(), is(VALID));
        assertThat(client.get("/widgets?limit=5&color=blue").status(), is(200));
        assertThat(HANDLED.get(), is(2));
    }

    @Test
    void bodyErrorsNameEachFieldByJsonPointer() {
        Response response = client.json("POST", "/widgets", """
                {"name": "ab", "color": "green", "size": 3,
                 "parts": [{"type": "Bolt!", "count": "2"}, {"count": 0}, {"type": "nut", "count": 1}]}""");
        JsonObject problem = assertProblem(response, 400, "VALIDATION_FAILED");
        assertThat(fields(problem), containsInAnyOrder(
                "/name: must be at least 3 characters",
                "/color: must be one of red, blue",
                "/size: is not allowed",
                "/parts: must have at most 2 items",
                "/parts/0/type: must match ^[a-z]{1,10}$",
                "/parts/0/count: must be of type integer",
                "/parts/1/type: is required",
                "/parts/1/count: must be at least 1"));
        assertThat(HANDLED.get(), is(0));
    }

    @Test
    void missingRequiredFieldsAndTooLongStrings() {
        JsonObject problem = assertProblem(client.json("POST", "/widgets", "{\"name\": \"" + "x".repeat(21) + "\"}"),
                                           400, "VALIDATION_FAILED");
        assertThat(fields(problem), containsInAnyOrder("/name: must be at most 20 characters", "/parts: is required"));
        assertThat(HANDLED.get(), is(0));
    }

    @Test
    void parameterErrorsNameTheParameterByLocation() {
        JsonObject query = assertProblem(client.get("/widgets?limit=0&color=green&colour=red"), 400, "VALIDATION_FAILED");
        assertThat(fields(query), containsInAnyOrder("query/limit: must be at least 1",
                                                      "query/color: must be one of red, blue",
                                                      "query/colour: is not a parameter of GET /widgets"));
        JsonObject notANumber = assertProblem(client.get("/widgets?limit=many"), 400, "VALIDATION_FAILED");
        assertThat(fields(notANumber), containsInAnyOrder("query/limit: must be of type integer"));
        JsonObject path = assertProblem(client.json("PUT", "/widgets/not-a-uuid", VALID, "If-Match", "\"1\""),
                                        400, "VALIDATION_FAILED");
        assertThat(fields(path), containsInAnyOrder("path/id: must be a UUID"));
        JsonObject header = assertProblem(client.json("PUT", "/widgets/" + UUID.randomUUID(), VALID), 400,
                                          "VALIDATION_FAILED");
        assertThat(fields(header), containsInAnyOrder("header/If-Match: is required"));
        assertThat(HANDLED.get(), is(0));
    }

    @Test
    void unknownQueryParametersPassWhereTheOperationAllowsThem() {
        assertThat(client.get("/search?q=gear&utm_source=mail").status(), is(204));
        JsonObject problem = assertProblem(client.get("/search?q=" + "x".repeat(11)), 400, "VALIDATION_FAILED");
        assertThat(fields(problem), containsInAnyOrder("query/q: must be at most 10 characters"));
        assertThat(fields(assertProblem(client.get("/search"), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("query/q: is required"));
        assertThat(HANDLED.get(), is(1));
    }

    @Test
    void queryValuesAreReadAsTheirSchemaTypeListsCommaSeparatedOrRepeated() {
        assertThat(client.get("/filter?tags=a,b,c&ids=1&ids=20&min=0.5&active=false").status(), is(204));
        assertThat(client.get("/filter?tags=&active=true&min=1e3").status(), is(204));
        assertThat(fields(assertProblem(client.get("/filter?tags=a,b,c,d"), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("query/tags: must have at most 3 items"));
        assertThat(fields(assertProblem(client.get("/filter?ids=1&ids=x"), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("query/ids: must be a list of integer"));
        assertThat(fields(assertProblem(client.get("/filter?ids=1,2"), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("query/ids: must be a list of integer"));
        assertThat(fields(assertProblem(client.get("/filter?min=much&active=yes"), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("query/min: must be of type number", "query/active: must be of type boolean"));
        JsonObject range = assertProblem(client.get("/filter?min=0.25&ids=0"), 400, "VALIDATION_FAILED");
        assertThat(fields(range).size(), is(2));
        assertThat(HANDLED.get(), is(2));
    }

    @Test
    void wrongContentTypeIs415() {
        Response response = client.send(client.request("/widgets").header("Content-Type", "application/merge-patch+json")
                                                 .POST(HttpRequest.BodyPublishers.ofString(VALID)).build());
        JsonObject problem = assertProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(problem.getString("detail"), is("The request body must be application/json, got application/merge-patch+json"));
        assertThat(HANDLED.get(), is(0));
    }

    @Test
    void missingUnparsableOrNonObjectBodiesAreMalformedJson() {
        assertThat(assertProblem(client.send(client.request("/widgets").header("Content-Type", "application/json")
                                                     .POST(HttpRequest.BodyPublishers.noBody()).build()),
                                 400, "MALFORMED_JSON").getString("detail"), is("A JSON body is required"));
        assertProblem(client.json("POST", "/widgets", "{\"name\": "), 400, "MALFORMED_JSON");
        assertThat(assertProblem(client.json("POST", "/widgets", "[1, 2]"), 400, "MALFORMED_JSON").getString("detail"),
                   is("The body must be a JSON object"));
        assertThat(HANDLED.get(), is(0));
    }

    @Test
    void requestsOutsideTheDocumentPassUntouched() {
        Response echoed = client.json("POST", "/undocumented", "[\"anything\"]");
        assertThat(echoed.body(), echoed.status(), is(200));
        assertThat(echoed.body(), is("[\"anything\"]"));
        assertThat(client.get("/nowhere").status(), is(404));
        assertThat(client.send(client.request("/widgets").method("DELETE", HttpRequest.BodyPublishers.noBody()).build())
                           .status(), is(404));
    }

    @Test
    void problemsCarryTheCorrelationId() {
        Response response = client.send(client.request("/widgets?limit=0").header("X-Correlation-Id", "cid-42").GET().build());
        assertThat(assertProblem(response, 400, "VALIDATION_FAILED").getString("correlationId"), is("cid-42"));
        assertThat(assertProblem(response, 400, "VALIDATION_FAILED").getString("detail"), containsString("query/limit"));
    }

    static List<String> fields(JsonObject problem) {
        return problem.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("field") + ": " + e.getString("message"))
                .toList();
    }

}
