package io.dharma.service;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.json.Json;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The request helpers a handler uses, over a running service: UUID path parameters, JSON bodies, conditional
 * requests with ETags; and HEAD on a GET route, whatever way the handler writes its entity, answers the GET's headers
 * with the entity's length and no body.
 */
class RequestsTest {
    private static final String SIGNING_KEY = Tokens.randomSecret();
    private static final String AUTHORIZATION = "Bearer " + Tokens.hmac(SIGNING_KEY).valid("tester");
    private static final String ID = "7b0c3f1e-2a4d-4c5b-9e8f-0123456789ab";
    private static DharmaService service;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        service = DharmaService.builder("requests-test")
                .config(Config.just(ConfigSources.create(Map.of(
                        "server.port", "0",
                        "management.port", "0",
                        "server.host", "127.0.0.1",
                        "db.enabled", "false",
                        "service.drain-delay", "PT0S",
                        "security.jwt.hmac-secret", SIGNING_KEY))))
                .shutdownHook(false)
                .api("/api/v1/things", ctx -> new Things())
                .start();
        client = HttpTestClient.create(service.port());
    }

    @AfterAll
    static void stop() {
        service.stop();
    }

    @Test
    void aPathParameterThatIsNoUuidIsAValidationProblem() {
        assertThat(get("/api/v1/things/" + ID).status(), is(200));
        assertThat(assertProblem(get("/api/v1/things/not-a-uuid"), 400, "VALIDATION_FAILED").getJsonArray("errors")
                           .getJsonObject(0).getString("field"), is("path/id"));
    }

    @Test
    void aMatchingIfNoneMatchIsNotModified() {
        assertThat(get("/api/v1/things/" + ID, "If-None-Match", "W/\"3\"").status(), is(304));
        assertThat(get("/api/v1/things/" + ID, "If-None-Match", "\"2\"").status(), is(200));
    }

    @Test
    void anUpdateNeedsAnIfMatchThatMatchesStrongly() {
        assertProblem(put("{\"name\":\"bolt\"}"), 428, "PRECONDITION_REQUIRED");
        assertProblem(put("{\"name\":\"bolt\"}", "If-Match", "W/\"3\""), 412, "PRECONDITION_FAILED");
        Response updated = put("{\"name\":\"bolt\"}", "If-Match", "\"2\", \"3\"");
        assertThat(updated.status(), is(200));
        assertThat(updated.json().getString("name"), is("bolt"));
    }

    @Test
    void aMissingOrNullBodyIsMalformedJson() {
        assertThat(assertProblem(put("", "If-Match", "*"), 400, "MALFORMED_JSON").getString("detail"),
                   is("A JSON body is required"));
        assertThat(assertProblem(put("null", "If-Match", "*"), 400, "MALFORMED_JSON").getString("detail"),
                   is("The body must be a JSON object"));
    }

    @Test
    void headAnswersTheLengthOfEveryKindOfEntityWithoutIt() {
        for (String path : new String[] {"/api/v1/things/" + ID, "/api/v1/things/" + ID + "/stream"}) {
            Response get = get(path);
            Response head = client.send(client.request(path).header("Authorization", AUTHORIZATION)
                                                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(path, head.status(), is(200));
            assertThat(path, head.body(), is(""));
            assertThat(path, head.header("Content-Length").orElseThrow(),
                       is(Integer.toString(get.body().getBytes(StandardCharsets.UTF_8).length)));
            assertThat(path, head.header("ETag"), is(get.header("ETag")));
        }
    }

    private static Response get(String path, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = AUTHORIZATION;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return client.get(path, all);
    }

    private static Response put(String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = AUTHORIZATION;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return client.json("PUT", "/api/v1/things/" + ID, body, all);
    }

    /** One thing at version 3: its JSON written as an object by the media support, or by hand to the stream. */
    private static final class Things implements HttpService {
        private static final String ETAG = Requests.etag(3);

        @Override
        public void routing(HttpRules rules) {
            rules.get("/{id}", (req, res) -> {
                Requests.uuid(req, "id");
                res.header(HeaderNames.ETAG, ETAG);
                if (Requests.notModified(req, ETAG)) {
                    res.status(Status.NOT_MODIFIED_304).send();
                    return;
                }
                res.send(Json.createObjectBuilder().add("id", req.path().pathParameters().get("id")).build());
            }).get("/{id}/stream", (req, res) -> {
                res.header(HeaderNames.ETAG, ETAG).header(HeaderNames.CONTENT_TYPE, "application/json");
                try (var out = res.outputStream()) {
                    out.write("{\"streamed\":true}".getBytes(StandardCharsets.UTF_8));
                }
            }).put("/{id}", (req, res) -> {
                if (!Requests.ifMatch(Requests.requireIfMatch(req), ETAG)) {
                    throw ApiException.of(ErrorCode.PRECONDITION_FAILED, "Changed");
                }
                res.send(Requests.json(req, DharmaServiceTest.Thing.class));
            });
        }
    }
}
