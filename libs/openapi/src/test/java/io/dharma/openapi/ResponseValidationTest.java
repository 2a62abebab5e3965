package io.dharma.openapi;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.json.JsonObject;

import io.dharma.errors.ApiException;
import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.logging.Logging;
import io.dharma.testing.ExpectsContractViolations;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Meters;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * With {@code validate-responses} on, a response that breaks the document becomes a 500 naming the violation (and is
 * counted); responses that keep it, problems included, go out unchanged.
 */
@ServerTest
@ExpectsContractViolations
class ResponseValidationTest {
    private static final String KNOWN = "7c0ad6b4-3f2e-4b8e-9d51-1c2b3a4d5e6f";

    private final HttpTestClient client;

    ResponseValidationTest(URI uri) {
        this.client = HttpTestClient.create(uri.getPort());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        OpenApi openapi = Fixtures.widgets(new OpenApiConfig("/openapi", true, true));
        routing.addFilter(Logging.correlationFilter());
        openapi.responseValidation().ifPresent(routing::addFilter);
        routing.error(Throwable.class, Errors.errorHandler(ErrorsConfig.create(), List.of()));
        openapi.requestValidation().ifPresent(routing::addFilter);
        routing.get("/widgets", (req, res) -> res.header("Content-Type", "application/json")
                        .send("{\"data\": [{\"id\": \"" + KNOWN + "\", \"name\": \"gear\", \"weight\": 3}]}"))
                .post("/widgets", (req, res) -> res.status(201).header("ETag", "\"1\"")
                        .send(jakarta.json.Json.createObjectBuilder().add("id", KNOWN).add("name", "gear").build()))
                .get("/widgets/{id}", (req, res) -> {
                    if (!req.path().pathParameters().get("id").equals(KNOWN)) {
                        throw ApiException.notFound("No such widget");
                    }
                    res.header("Content-Type", "application/json").send("{\"id\": \"" + KNOWN + "\"}");
                })
                .get("/search", (req, res) -> res.status(200).send("found"));
    }

    @Test
    void conformingResponsesAndProblemsPassUnchanged() {
        Response created = client.json("POST", "/widgets", "{\"name\": \"gear\", \"parts\": []}");
        assertThat(created.body(), created.status(), is(201));
        assertThat(created.header("ETag").orElseThrow(), is("\"1\""));
        assertThat(created.json().getString("name"), is("gear"));
        assertProblem(client.get("/widgets/" + UUID.randomUUID()), 404, "NOT_FOUND");
        assertProblem(client.get("/widgets?limit=0"), 400, "VALIDATION_FAILED");
    }

    @Test
    void anUndocumentedMemberBecomesA500NamingIt() {
        double before = violations("GET", "/widgets", "200");
        JsonObject problem = assertProblem(client.get("/widgets"), 500, "INTERNAL_ERROR");
        assertThat(problem.getString("detail"), containsString("validation.response.body.schema.additionalProperties"));
        assertThat(problem.getString("detail"), containsString("weight"));
        assertThat(violations("GET", "/widgets", "200"), is(before + 1));
    }

    @Test
    void aMissingRequiredMemberOrAnUndocumentedStatusBecomesA500() {
        JsonObject missing = assertProblem(client.get("/widgets/" + KNOWN), 500, "INTERNAL_ERROR");
        assertThat(missing.getString("detail"), containsString("name"));
        Response status = client.get("/search?q=gear");
        JsonObject undocumented = assertProblem(status, 500, "INTERNAL_ERROR");
        assertThat(undocumented.getString("detail"), containsString("validation.response.status.unknown"));
        assertThat(status.body(), not(containsString("found\"")));
    }

    private static double violations(String method, String path, String status) {
        return Meters.counter(ResponseValidationFilter.VIOLATIONS, "method", method, "uri", path, "status", status);
    }
}
