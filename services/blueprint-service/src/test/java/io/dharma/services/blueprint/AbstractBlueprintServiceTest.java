package io.dharma.services.blueprint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The blueprint API against a real running service; one subclass per database.
 */
abstract class AbstractBlueprintServiceTest {
    static final String OWNER = "user-1";
    static final String SIGNING_KEY = Tokens.randomSecret();
    static final Tokens TOKENS = Tokens.hmac(SIGNING_KEY);
    private static DharmaService service;
    private static HttpTestClient client;
    private static HttpTestClient management;

    static void start(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(overrides);
        config.put("security.jwt.hmac-secret", SIGNING_KEY);
        config.put("security.jwt.issuer", Tokens.ISSUER);
        config.put("security.jwt.audience", Tokens.AUDIENCE);
        // the whole suite runs from one address; limits themselves are tested in RateLimitTest
        config.put("rate-limit.policies.ip.capacity", "1000000");
        service = TestServices.start(config);
        client = HttpTestClient.create(service.port());
        management = HttpTestClient.create(service.managementPort());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.stop();
        }
    }

    static HttpTestClient client() {
        return client;
    }

    static String body(String name, String cloud) {
        return """
                {"name": "%s", "description": "web tier", "targetCloud": "%s",
                 "resources": [{"type": "vm", "size": "small", "count": 2, "region": "eu-west-1"},
                               {"type": "bucket", "size": "standard", "count": 1, "region": "eu-west-1"}]}
                """.formatted(name, cloud);
    }

    static String bearer(String subject, String... roles) {
        return "Bearer " + TOKENS.valid(subject, List.of(roles), "enterprise");
    }

    static Response create(String name, String cloud, String owner) {
        return client.json("POST", "/api/v1/blueprints", body(name, cloud), "Authorization", bearer(owner));
    }

    static Response get(String path) {
        return client.get(path, "Authorization", bearer(OWNER));
    }

    static Response get(String path, String subject, String... roles) {
        return client.get(path, "Authorization", bearer(subject, roles));
    }

    static Response send(String method, String path, String json, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.add("Authorization");
        all.add(bearer(OWNER));
        return client.json(method, path, json, all.toArray(String[]::new));
    }

    @Test
    void createReturnsLocationEtagAndBody() {
        Response res = create("payments-" + UUID.randomUUID(), "aws", OWNER);
        assertThat(res.body(), res.status(), is(201));
        JsonObject json = res.json();
        assertThat(res.header("Location").orElseThrow(), is("/api/v1/blueprints/" + json.getString("id")));
        assertThat(res.header("ETag").orElseThrow(), is("\"1\""));
        assertThat(json.getString("ownerId"), is(OWNER));
        assertThat(json.getString("status"), is("draft"));
        assertThat(json.getJsonArray("resources"), hasSize(2));
    }

    @Test
    void blueprintWithoutDescriptionCanBeReadBack() {
        String owner = "nodesc-" + UUID.randomUUID();
        Response created = client.json("POST", "/api/v1/blueprints", "{\"name\":\"bare\",\"targetCloud\":\"gcp\"}",
                                       "Authorization", bearer(owner));
        assertThat(created.body(), created.status(), is(201));
        Response one = get("/api/v1/blueprints/" + created.json().getString("id"), owner);
        assertThat(one.body(), one.status(), is(200));
        assertThat(one.json().containsKey("description"), is(false));
        assertThat(get("/api/v1/blueprints?include=resources", owner).json().getJsonArray("data"), hasSize(1));
    }

    @Test
    void deepOffsetPagesPointToTheCursor() {
        JsonObject problem = assertProblem(get("/api/v1/blueprints?page=102&limit=100"), 400, "VALIDATION_FAILED");
        assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"), is("query/page"));
        assertThat(get("/api/v1/blueprints?page=101&limit=100").status(), is(200));
    }

    @Test
    void getByIdHonoursIfNoneMatch() {
        String id = create("cache-" + UUID.randomUUID(), "gcp", OWNER).json().getString("id");
        Response first = get("/api/v1/blueprints/" + id);
        assertThat(first.status(), is(200));
        assertThat(first.json().getJsonArray("resources").getJsonObject(0).getString("type"), is("vm"));
        String etag = first.header("ETag").orElseThrow();
        Response second = client.send(client.request("/api/v1/blueprints/" + id).header("If-None-Match", etag)
                                              .header("Authorization", bearer(OWNER)).build());
        assertThat(second.status(), is(304));
        assertThat(second.body(), is(""));
    }

    @Test
    void replaceNeedsIfMatchAndRejectsStaleVersions() {
        String id = create("orders-" + UUID.randomUUID(), "azure", OWNER).json().getString("id");
        String path = "/api/v1/blueprints/" + id;
        String update = body("orders-renamed", "azure").replace("\"web tier\"", "\"api tier\"");

        assertProblem(send("PUT", path, update), 428, "PRECONDITION_REQUIRED");
        Response ok = send("PUT", path, update, "If-Match", "\"1\"");
        assertThat(ok.body(), ok.status(), is(200));
        assertThat(ok.header("ETag").orElseThrow(), is("\"2\""));
        assertThat(ok.json().getString("description"), is("api tier"));
        assertProblem(send("PUT", path, update, "If-Match", "\"1\""), 412, "PRECONDITION_FAILED");
        assertThat(get(path).json().getInt("version"), is(2));
    }

    @Test
    void deleteRemovesTheBlueprint() {
        String id = create("temp-" + UUID.randomUUID(), "aws", OWNER).json().getString("id");
        Response deleted = client.send(client.request("/api/v1/blueprints/" + id).header("Authorization", bearer(OWNER))
                                               .DELETE().build());
        assertThat(deleted.status(), is(204));
        assertProblem(get("/api/v1/blueprints/" + id), 404, "NOT_FOUND");
        assertProblem(client.send(client.request("/api/v1/blueprints/" + id).header("Authorization", bearer(OWNER))
                                          .DELETE().build()), 404, "NOT_FOUND");
    }

    @Test
    void keysetPagesWalkEveryRowOnceNewestFirst() {
        String owner = "pager-" + UUID.randomUUID();
        for (int i = 0; i < 7; i++) {
            assertThat(create("page-" + i + "-" + owner.substring(6, 14), "gcp", owner).status(), is(201));
        }
        String path = "/api/v1/blueprints?limit=3&include=resources";
        int seen = 0;
        String previousCreated = null;
        String cursor = null;
        do {
            Response page = get(path + (cursor == null ? "" : "&cursor=" + cursor), owner);
            assertThat(page.body(), page.status(), is(200));
            JsonArray data = page.json().getJsonArray("data");
            for (JsonObject row : data.getValuesAs(JsonObject.class)) {
                assertThat(row.getJsonArray("resources"), hasSize(2));
                if (previousCreated != null) {
                    assertThat(row.getString("createdAt").compareTo(previousCreated) <= 0, is(true));
                }
                previousCreated = row.getString("createdAt");
                seen++;
            }
            JsonObject pageInfo = page.json().getJsonObject("page");
            assertThat(pageInfo.getInt("limit"), is(3));
            cursor = pageInfo.containsKey("nextCursor") && !pageInfo.isNull("nextCursor")
                    ? pageInfo.getString("nextCursor") : null;
        } while (cursor != null);
        assertThat(seen, is(7));
    }

    @Test
    void listFiltersByStatusCloudAndText() {
        String owner = "filter-" + UUID.randomUUID();
        String marker = "zebra" + owner.substring(7, 15);
        create(marker + " stack", "azure", owner);
        create("other stack", "aws", owner);
        JsonArray azure = get("/api/v1/blueprints?targetCloud=azure", owner).json().getJsonArray("data");
        assertThat(azure, hasSize(1));
        JsonArray text = get("/api/v1/blueprints?q=" + marker, owner).json().getJsonArray("data");
        assertThat(text, hasSize(1));
        assertThat(text.getJsonObject(0).getString("name"), startsWith(marker));
        JsonArray active = get("/api/v1/blueprints?status=active", owner).json().getJsonArray("data");
        assertThat(active, hasSize(0));
    }

    @Test
    void offsetPagesReportTotalsOnRequest() {
        String owner = "offset-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            create("offset-" + i, "aws", owner);
        }
        JsonObject page = get("/api/v1/blueprints?page=2&limit=2&total=true", owner).json();
        assertThat(page.getJsonArray("data"), hasSize(2));
        assertThat(page.getInt("page"), is(2));
        assertThat(page.getInt("limit"), is(2));
        assertThat(page.getJsonNumber("total").longValue(), is(5L));
        assertThat(page.getInt("totalPages"), is(3));
        JsonObject noTotal = get("/api/v1/blueprints?page=1&limit=2", owner).json();
        assertThat(noTotal.containsKey("total") && !noTotal.isNull("total"), is(false));
    }

    @Test
    void invalidInputIsAProblemAndChangesNothing() {
        String owner = "invalid-" + UUID.randomUUID();
        JsonObject problem = assertProblem(
                client.json("POST", "/api/v1/blueprints",
                            "{\"name\":\"ab\",\"targetCloud\":\"ibm\",\"resources\":[{\"type\":\"vm\",\"count\":0}]}",
                            "Authorization", bearer(owner)),
                400, "VALIDATION_FAILED");
        assertThat(fields(problem), containsInAnyOrder("/name: must be at least 3 characters",
                                                       "/targetCloud: must be one of aws, azure, gcp",
                                                       "/resources/0/count: must be at least 1",
                                                       "/resources/0/size: is required",
                                                       "/resources/0/region: is required"));
        // what the document cannot say is still the handler's check: a name of white space
        assertThat(fields(assertProblem(client.json("POST", "/api/v1/blueprints", "{\"name\": \"    \", \"targetCloud\": \"aws\"}",
                                                    "Authorization", bearer(owner)), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("/name: must be between 3 and 100 characters"));
        assertProblem(client.json("POST", "/api/v1/blueprints", "{\"name\": ", "Authorization", bearer(owner)),
                      400, "MALFORMED_JSON");
        assertProblem(client.json("POST", "/api/v1/blueprints", "[1,2]", "Authorization", bearer(owner)),
                      400, "MALFORMED_JSON");
        assertThat(get("/api/v1/blueprints", owner).json().getJsonArray("data"), hasSize(0));
    }

    @Test
    void bodiesThatBreakTheContractNeverReachTheHandler() {
        String owner = "contract-" + UUID.randomUUID();
        String auth = bearer(owner);
        String resource = "{\"type\": \"vm\", \"size\": \"small\", \"count\": %s, \"region\": \"eu-west-1\"}";
        Map<String, String> rejected = new LinkedHashMap<>();
        rejected.put("{\"targetCloud\": \"aws\"}", "/name: is required");
        rejected.put("{\"name\": \"typed\", \"targetCloud\": \"aws\", \"resources\": [" + resource.formatted("\"two\"") + "]}",
                     "/resources/0/count: must be of type integer");
        rejected.put("{\"name\": \"clouded\", \"targetCloud\": \"ibm\"}", "/targetCloud: must be one of aws, azure, gcp");
        rejected.put("{\"name\": \"" + "n".repeat(101) + "\", \"targetCloud\": \"aws\"}", "/name: must be at most 100 characters");
        rejected.put("{\"name\": \"colored\", \"targetCloud\": \"aws\", \"color\": \"red\"}", "/color: is not allowed");
        rejected.put("{\"name\": \"counted\", \"targetCloud\": \"gcp\", \"resources\": [" + resource.formatted("10001") + "]}",
                     "/resources/0/count: must be at most 10000");
        rejected.forEach((body, field) -> assertThat(body, fields(assertProblem(
                client.json("POST", "/api/v1/blueprints", body, "Authorization", auth), 400, "VALIDATION_FAILED")),
                                                      containsInAnyOrder(field)));
        JsonObject mediaType = assertProblem(client.send(
                client.request("/api/v1/blueprints").header("Authorization", auth)
                        .header("Content-Type", "application/merge-patch+json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body("patched", "aws"))).build()),
                                             415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(mediaType.getString("detail"), containsString("application/json"));
        assertThat("nothing was created", get("/api/v1/blueprints", owner).json().getJsonArray("data"), hasSize(0));

        String path = "/api/v1/blueprints/" + create("contract-kept", "aws", owner).json().getString("id");
        assertThat(fields(assertProblem(client.json("PUT", path, "{\"name\": 42, \"targetCloud\": \"aws\"}",
                                                    "If-Match", "\"1\"", "Authorization", auth), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("/name: must be of type string"));
        JsonObject kept = get(path, owner).json();
        assertThat("nothing was replaced", kept.getInt("version"), is(1));
        assertThat(kept.getString("name"), is("contract-kept"));
    }

    @Test
    void parametersThatBreakTheContractNeverReachTheHandler() {
        String id = create("params-" + UUID.randomUUID(), "aws", OWNER).json().getString("id");
        assertThat(fields(assertProblem(send("PUT", "/api/v1/blueprints/not-a-uuid", body("renamed", "aws"), "If-Match", "\"1\""),
                                        400, "VALIDATION_FAILED")), containsInAnyOrder("path/id: must be a UUID"));
        // the handler would have listed: an undeclared parameter is refused, not ignored
        assertThat(fields(assertProblem(get("/api/v1/blueprints?limt=5"), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("query/limt: is not a parameter of GET /api/v1/blueprints"));
        assertThat(fields(assertProblem(get("/api/v1/blueprints?limit=ten&status=deleted&q=" + "q".repeat(101)),
                                        400, "VALIDATION_FAILED")),
                   containsInAnyOrder("query/limit: must be of type integer",
                                      "query/status: must be one of draft, active, archived",
                                      "query/q: must be at most 100 characters"));
        assertThat(fields(assertProblem(get("/api/v1/blueprints?include=owners"), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("query/include: must be one of resources"));
        assertThat(get("/api/v1/blueprints/" + id).json().getInt("version"), is(1));
    }

    @Test
    void badParametersAreProblems() {
        assertProblem(get("/api/v1/blueprints/not-a-uuid"), 400, "VALIDATION_FAILED");
        assertProblem(get("/api/v1/blueprints?limit=0"), 400, "VALIDATION_FAILED");
        assertProblem(get("/api/v1/blueprints?limit=101"), 400, "VALIDATION_FAILED");
        assertProblem(get("/api/v1/blueprints?status=deleted"), 400, "VALIDATION_FAILED");
        assertProblem(get("/api/v1/blueprints?cursor=forged.cursor"), 400, "BAD_REQUEST");
        assertProblem(get("/api/v1/blueprints/" + UUID.randomUUID()), 404, "NOT_FOUND");
    }

    static List<String> fields(JsonObject problem) {
        return problem.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("field") + ": " + e.getString("message"))
                .toList();
    }

    @Test
    void routingErrorsAreProblems() {
        assertProblem(get("/no/such/route"), 404, "NOT_FOUND");
        Response patch = send("PATCH", "/api/v1/blueprints/" + UUID.randomUUID(), "{}");
        assertProblem(patch, 405, "METHOD_NOT_ALLOWED");
        assertThat(patch.header("Allow").orElseThrow(), containsString("PUT"));
        assertProblem(client.send(client.request("/api/v1/blueprints").header("Content-Type", "text/plain")
                                          .header("Authorization", bearer(OWNER))
                                          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build()),
                      415, "UNSUPPORTED_MEDIA_TYPE");
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        // expect-continue: the server answers 413 before the client sends the body
        assertProblem(client.send(client.request("/api/v1/blueprints").expectContinue(true)
                                          .header("Content-Type", "application/json")
                                          .header("Authorization", bearer(OWNER))
                                          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(big)).build()),
                      413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void correlationIdIsEchoedOrGenerated() {
        Response given = client.send(client.request("/api/v1/blueprints?limit=1").header("X-Correlation-Id", "abc-123")
                                             .header("Authorization", bearer(OWNER)).build());
        assertThat(given.header("X-Correlation-Id").orElseThrow(), is("abc-123"));
        Response invalid = client.send(client.request("/api/v1/blueprints?limit=1").header("Authorization", bearer(OWNER))
                                               .header("X-Correlation-Id", "bad id with spaces").build());
        assertThat(invalid.header("X-Correlation-Id").orElseThrow(), not(is("bad id with spaces")));
        Response problem = client.send(client.request("/nothing").header("X-Request-Id", "req-42").build());
        assertThat(assertProblem(problem, 401, "MISSING_TOKEN").getString("correlationId"), is("req-42"));
    }

    @Test
    void usersSeeAndChangeOnlyTheirOwnBlueprintsUnlessAdmin() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String id = create("alice-stack", "aws", alice).json().getString("id");
        String path = "/api/v1/blueprints/" + id;
        assertProblem(get(path, bob), 404, "NOT_FOUND");
        assertThat(get("/api/v1/blueprints", bob).json().getJsonArray("data"), hasSize(0));
        assertProblem(get("/api/v1/blueprints?ownerId=" + alice, bob), 403, "FORBIDDEN");
        assertProblem(client.json("PUT", path, body("bob-was-here", "aws"), "If-Match", "\"1\"", "Authorization", bearer(bob)),
                      404, "NOT_FOUND");
        assertProblem(client.send(client.request(path).header("Authorization", bearer(bob)).DELETE().build()),
                      404, "NOT_FOUND");
        assertThat(get(path, alice).json().getString("name"), is("alice-stack"));
        assertThat(get(path, "root", "admin").status(), is(200));
        assertThat(get("/api/v1/blueprints?ownerId=" + alice, "root", "admin").json().getJsonArray("data"), hasSize(1));
    }

    @Test
    void everyRouteNeedsAValidToken() {
        Response missing = client.get("/api/v1/blueprints");
        assertProblem(missing, 401, "MISSING_TOKEN");
        assertThat(missing.header("WWW-Authenticate").orElseThrow(), startsWith("Bearer realm=\"blueprint-service\""));
        assertProblem(client.json("POST", "/api/v1/blueprints", body("anon", "aws")), 401, "MISSING_TOKEN");
        assertProblem(client.get("/api/v1/blueprints", "Authorization", "Bearer " + TOKENS.expired(OWNER)),
                      401, "TOKEN_EXPIRED");
        assertProblem(client.get("/api/v1/blueprints", "Authorization", "Bearer " + TOKENS.wrongKey(OWNER)),
                      401, "INVALID_TOKEN");
        assertProblem(client.get("/api/v1/blueprints", "Authorization", "Bearer " + TOKENS.algNone(OWNER, List.of("admin"))),
                      401, "INVALID_TOKEN");
        assertProblem(client.get("/api/v1/blueprints", "Authorization", "Bearer " + TOKENS.wrongIssuer(OWNER)),
                      401, "INVALID_TOKEN");
    }

    @Test
    void probesAndMetricsAreServedOnTheManagementPort() {
        assertThat(management.get("/health/live").status(), is(200));
        Response ready = management.get("/health/ready");
        assertThat(ready.body(), ready.status(), is(200));
        assertThat(ready.body(), containsString("\"db\""));
        assertThat(management.get("/health/started").status(), is(200));
        String id = UUID.randomUUID().toString();
        get("/api/v1/blueprints/" + id);
        String metrics = management.get("/metrics").body();
        assertThat(metrics, containsString("http_server_requests_seconds_bucket"));
        assertThat(metrics, containsString("uri=\"/api/v1/blueprints/{id}\""));
        assertThat(metrics, not(containsString(id)));
        assertProblem(client.get("/health/ready", "Authorization", bearer(OWNER)), 404, "NOT_FOUND");
    }
}
