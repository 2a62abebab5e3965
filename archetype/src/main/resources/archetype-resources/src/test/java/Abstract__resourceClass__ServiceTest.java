#set( $Plural = "${resourcePlural.substring(0,1).toUpperCase()}${resourcePlural.substring(1)}" )
package ${package};

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.JsonObject;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The ${resourcePlural} API against a real running service (real socket, real database); one subclass per database.
 * <p>
 * The service verifies HS256 bearer tokens with a key made up for the run ({@code security.jwt.hmac-secret}, the
 * inline key meant for tests); {@link Tokens} mints them. Each test that counts rows works as an owner of its own.
 */
abstract class Abstract${resourceClass}ServiceTest {
    static final String PATH = ${resourceClass}Service.PATH;
    static final String SIGNING_KEY = Tokens.randomSecret();
    static final Tokens TOKENS = Tokens.hmac(SIGNING_KEY);
    static final String OWNER = unique("user");
    private static DharmaService service;
    private static HttpTestClient client;
    private static HttpTestClient management;

    static void start(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(overrides);
        config.put("server.port", "0");
        config.put("management.port", "0");
        config.put("server.host", "127.0.0.1");
        config.put("security.jwt.hmac-secret", SIGNING_KEY);
        config.put("security.jwt.issuer", Tokens.ISSUER);
        config.put("security.jwt.audience", Tokens.AUDIENCE);
        // the whole suite runs from one address and as a few users: keep the shipped limits out of its way
        config.put("rate-limit.policies.ip.capacity", "1000000");
        // every response checked against META-INF/openapi.yaml: one that breaks it becomes a 500 naming the violation
        config.put("openapi.validate-responses", "true");
        service = Main.start(DharmaService.builder(Main.NAME)
                                     .config(Config.just(ConfigSources.create(config),
                                                         ConfigSources.classpath("application.yaml")))
                                     .shutdownHook(false));
        client = HttpTestClient.create(service.port());
        management = HttpTestClient.create(service.managementPort());
    }

    static DharmaService service() {
        return service;
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.stop();
        }
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static String bearer(String subject, String... roles) {
        return "Bearer " + TOKENS.valid(subject, List.of(roles), "enterprise");
    }

    static String json(String name, String description) {
        return "{\"name\": \"" + name + "\", \"description\": \"" + description + "\"}";
    }

    static Response create(String name) {
        return create(name, OWNER);
    }

    static Response create(String name, String owner) {
        return client.json("POST", PATH, json(name, "first"), "Authorization", bearer(owner));
    }

    /** GET as {@link #OWNER}. */
    static Response get(String path) {
        return get(path, OWNER);
    }

    static Response get(String path, String subject, String... roles) {
        return client.get(path, "Authorization", bearer(subject, roles));
    }

    /** A JSON request as {@link #OWNER}, with more headers (name, value, ...). */
    static Response send(String method, String path, String json, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.add("Authorization");
        all.add(bearer(OWNER));
        return client.json(method, path, json, all.toArray(String[]::new));
    }

    /** A request as {@link #OWNER}, to add headers and a method to. */
    static HttpRequest.Builder request(String path) {
        return client.request(path).header("Authorization", bearer(OWNER));
    }

    @Test
    void createReturnsLocationEtagAndBody() {
        String name = unique("create");
        Response res = create("  " + name + " ");
        assertThat(res.body(), res.status(), is(201));
        JsonObject json = res.json();
        assertThat(res.header("Location").orElseThrow(), is(PATH + "/" + json.getString("id")));
        assertThat(res.header("ETag").orElseThrow(), is("\"1\""));
        assertThat(json.getString("ownerId"), is(OWNER));
        assertThat(json.getString("name"), is(name));
        assertThat(json.getString("description"), is("first"));
        assertThat(json.getInt("version"), is(1));
        assertThat(get(PATH + "/" + json.getString("id")).json(), is(json));
    }

    @Test
    void getHonoursIfNoneMatch() {
        String path = PATH + "/" + create(unique("get")).json().getString("id");
        Response first = get(path);
        assertThat(first.status(), is(200));
        String etag = first.header("ETag").orElseThrow();
        Response second = client.send(request(path).header("If-None-Match", etag).build());
        assertThat(second.status(), is(304));
        assertThat(second.body(), is(""));
        Response other = client.send(request(path).header("If-None-Match", "\"99\"").build());
        assertThat(other.status(), is(200));
    }

    @Test
    void cachedReadsFollowEveryWrite() {
        String path = PATH + "/" + create(unique("cached")).json().getString("id");
        Response first = get(path);
        assertThat(first.header("Cache-Control").orElseThrow(), is("private, no-cache"));
        assertThat(first.header("Vary").orElseThrow(), is("Authorization"));
        assertThat(get(path).json().getInt("version"), is(1));   // from the cache now
        String page = client.send(request(PATH + "?limit=100").build()).body();

        String renamed = unique("renamed");
        assertThat(send("PUT", path, json(renamed, "changed"), "If-Match", "\"1\"").status(), is(200));
        assertThat(get(path).json().getInt("version"), is(2));
        assertThat(client.send(request(PATH + "?limit=100").build()).body(), containsString(renamed));
        assertThat(page, not(containsString(renamed)));
        assertThat(client.send(request(path).DELETE().build()).status(), is(204));
        assertThat(assertProblem(get(path), 404, "NOT_FOUND").getString("type"), is("${problemTypeBase}not-found"));
    }

    @Test
    void replaceNeedsIfMatchAndRejectsStaleVersions() {
        String path = PATH + "/" + create(unique("replace")).json().getString("id");
        String update = json(unique("renamed"), "second");

        assertProblem(send("PUT", path, update), 428, "PRECONDITION_REQUIRED");
        Response ok = send("PUT", path, update, "If-Match", "\"1\"");
        assertThat(ok.body(), ok.status(), is(200));
        assertThat(ok.header("ETag").orElseThrow(), is("\"2\""));
        assertThat(ok.json().getString("description"), is("second"));
        assertThat(ok.json().getString("ownerId"), is(OWNER));
        Response stale = send("PUT", path, update, "If-Match", "\"1\"");
        assertProblem(stale, 412, "PRECONDITION_FAILED");
        assertThat(stale.header("ETag").orElseThrow(), is("\"2\""));
        assertThat(get(path).json().getInt("version"), is(2));
        assertProblem(send("PUT", PATH + "/" + UUID.randomUUID(), update, "If-Match", "\"1\""), 404, "NOT_FOUND");
    }

    @Test
    void deleteRemovesIt() {
        String path = PATH + "/" + create(unique("delete")).json().getString("id");
        assertThat(client.send(request(path).DELETE().build()).status(), is(204));
        assertProblem(get(path), 404, "NOT_FOUND");
        assertProblem(client.send(request(path).DELETE().build()), 404, "NOT_FOUND");
    }

    @Test
    void duplicateNameIsAConflictForTheSameOwner() {
        String name = unique("twice");
        assertThat(create(name).status(), is(201));
        assertProblem(create(name), 409, "CONFLICT");
        // names are unique per owner: another owner's name is neither blocked nor revealed
        assertThat(create(name, unique("other")).status(), is(201));
    }

    @Test
    void keysetPagesWalkEveryRowOnceNewestFirst() {
        String owner = unique("pager");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(create(unique("page-" + i), owner).json().getString("id"));
        }
        List<String> seen = new ArrayList<>();
        int pages = 0;
        String previous = null;
        String cursor = null;
        do {
            Response page = get(PATH + "?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), owner);
            assertThat(page.body(), page.status(), is(200));
            pages++;
            JsonObject json = page.json();
            assertThat(json.getJsonObject("page").getInt("limit"), is(3));
            assertThat(json.getJsonArray("data").size(), lessThanOrEqualTo(3));
            for (JsonObject row : json.getJsonArray("data").getValuesAs(JsonObject.class)) {
                assertThat("newest first", previous == null || row.getString("createdAt").compareTo(previous) <= 0, is(true));
                previous = row.getString("createdAt");
                assertThat("each row once", seen.contains(row.getString("id")), is(false));
                seen.add(row.getString("id"));
            }
            JsonObject info = json.getJsonObject("page");
            cursor = info.containsKey("nextCursor") && !info.isNull("nextCursor") ? info.getString("nextCursor") : null;
        } while (cursor != null);
        // the owner's rows, and only them: other tests' rows belong to other owners
        assertThat(seen, containsInAnyOrder(created.toArray()));
        assertThat(pages, is(3));
    }

    @Test
    void invalidInputIsAProblemAndChangesNothing() {
        String owner = unique("invalid");
        String auth = bearer(owner);
        String tooLong = "x".repeat(${resourceClass}Request.MAX_NAME + 1);
        JsonObject problem = assertProblem(
                client.json("POST", PATH, json(tooLong, "d".repeat(2001)), "Authorization", auth),
                400, "VALIDATION_FAILED");
        assertThat(fields(problem), containsInAnyOrder("/name: must be at most 100 characters",
                                                       "/description: must be at most 2000 characters"));
        assertThat(fields(assertProblem(client.json("POST", PATH, "{\"description\": \"no name\"}", "Authorization", auth),
                                        400, "VALIDATION_FAILED")), containsInAnyOrder("/name: is required"));
        // what the document cannot say is the handler's own check: a name of white space
        assertThat(fields(assertProblem(client.json("POST", PATH, "{\"name\": \"   \"}", "Authorization", auth),
                                        400, "VALIDATION_FAILED")), containsInAnyOrder("/name: must be between 1 and 100 characters"));
        assertProblem(client.json("POST", PATH, "{\"name\": ", "Authorization", auth), 400, "MALFORMED_JSON");
        assertProblem(client.json("POST", PATH, "[1, 2]", "Authorization", auth), 400, "MALFORMED_JSON");
        assertProblem(client.send(client.request(PATH).header("Content-Type", "text/plain").header("Authorization", auth)
                                          .POST(HttpRequest.BodyPublishers.ofString("x")).build()),
                      415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(get(PATH, owner).json().getJsonArray("data"), hasSize(0));
    }

    @Test
    void requestsThatBreakTheContractNeverReachTheHandler() {
        String owner = unique("contract");
        String auth = bearer(owner);
        assertThat(fields(assertProblem(client.json("POST", PATH, "{\"name\": 7}", "Authorization", auth), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("/name: must be of type string"));
        assertThat(fields(assertProblem(client.json("POST", PATH, "{\"name\": \"n\", \"color\": \"red\"}", "Authorization", auth),
                                        400, "VALIDATION_FAILED")), containsInAnyOrder("/color: is not allowed"));
        assertProblem(client.send(client.request(PATH).header("Authorization", auth)
                                          .header("Content-Type", "application/merge-patch+json")
                                          .POST(HttpRequest.BodyPublishers.ofString(json("patched", "x"))).build()),
                      415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat("nothing was created", get(PATH, owner).json().getJsonArray("data"), hasSize(0));
        String path = PATH + "/" + create(unique("kept"), owner).json().getString("id");
        assertThat(fields(assertProblem(client.json("PUT", path, "{\"description\": \"no name\"}", "If-Match", "\"1\"",
                                                    "Authorization", auth), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("/name: is required"));
        assertThat(fields(assertProblem(client.json("PUT", PATH + "/not-a-uuid", json("x", "y"), "If-Match", "\"1\"",
                                                    "Authorization", auth), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("path/id: must be a UUID"));
        assertThat(fields(assertProblem(get(PATH + "?limit=ten&sort=name", owner), 400, "VALIDATION_FAILED")),
                   containsInAnyOrder("query/limit: must be of type integer",
                                      "query/sort: is not a parameter of GET " + PATH));
        assertThat("nothing was replaced", get(path, owner).json().getInt("version"), is(1));
    }

    static List<String> fields(JsonObject problem) {
        return problem.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("field") + ": " + e.getString("message"))
                .toList();
    }

    @Test
    void badParametersAreProblems() {
        assertProblem(get(PATH + "/not-a-uuid"), 400, "VALIDATION_FAILED");
        assertProblem(get(PATH + "?limit=0"), 400, "VALIDATION_FAILED");
        assertProblem(get(PATH + "?limit=101"), 400, "VALIDATION_FAILED");
        assertProblem(get(PATH + "?cursor=forged.cursor"), 400, "BAD_REQUEST");
        assertProblem(get(PATH + "/" + UUID.randomUUID()), 404, "NOT_FOUND");
        Response patch = send("PATCH", PATH + "/" + UUID.randomUUID(), "{}");
        assertProblem(patch, 405, "METHOD_NOT_ALLOWED");
        assertThat(patch.header("Allow").orElseThrow(), containsString("PUT"));
    }

    @Test
    void usersSeeAndChangeOnlyTheirOwn${Plural}UnlessAdmin() {
        String alice = unique("alice");
        String bob = unique("bob");
        String id = create("alice-only", alice).json().getString("id");
        String path = PATH + "/" + id;
        // another user's ${resourceName} is as absent as one that does not exist
        assertProblem(get(path, bob), 404, "NOT_FOUND");
        assertThat(get(PATH, bob).json().getJsonArray("data"), hasSize(0));
        assertProblem(get(PATH + "?ownerId=" + alice, bob), 403, "FORBIDDEN");
        assertProblem(client.json("PUT", path, json("bob-was-here", "x"), "If-Match", "\"1\"", "Authorization", bearer(bob)),
                      404, "NOT_FOUND");
        assertProblem(client.send(client.request(path).header("Authorization", bearer(bob)).DELETE().build()),
                      404, "NOT_FOUND");
        assertThat(get(path, alice).json().getString("name"), is("alice-only"));
        assertThat(get(PATH + "?ownerId=" + alice, alice).json().getJsonArray("data"), hasSize(1));
        // admins see and change every owner's, and list one owner's or everyone's
        String admin = unique("root");
        assertThat(get(path, admin, ${resourceClass}Service.ADMIN).status(), is(200));
        assertThat(get(PATH + "?ownerId=" + alice, admin, ${resourceClass}Service.ADMIN).json().getJsonArray("data"), hasSize(1));
        assertThat(get(PATH + "?limit=100", admin, ${resourceClass}Service.ADMIN).body(), containsString(id));
        Response replaced = client.json("PUT", path, json("admin-renamed", "by an admin"), "If-Match", "\"1\"",
                                        "Authorization", bearer(admin, ${resourceClass}Service.ADMIN));
        assertThat(replaced.body(), replaced.status(), is(200));
        assertThat("the owner stays", replaced.json().getString("ownerId"), is(alice));
        assertThat(client.send(client.request(path).header("Authorization", bearer(admin, ${resourceClass}Service.ADMIN))
                                       .DELETE().build()).status(), is(204));
        assertProblem(get(path, alice), 404, "NOT_FOUND");
    }

    @Test
    void everyRouteNeedsAValidToken() {
        String path = PATH + "/" + create(unique("guarded")).json().getString("id");
        Response missing = client.get(PATH);
        assertProblem(missing, 401, "MISSING_TOKEN");
        assertThat(missing.header("WWW-Authenticate").orElseThrow(), startsWith("Bearer realm=\"" + Main.NAME + "\""));
        assertProblem(client.json("POST", PATH, json("anonymous", "x")), 401, "MISSING_TOKEN");
        assertProblem(client.get(path), 401, "MISSING_TOKEN");
        assertProblem(client.json("PUT", path, json("anonymous", "x"), "If-Match", "\"1\""), 401, "MISSING_TOKEN");
        assertProblem(client.send(client.request(path).DELETE().build()), 401, "MISSING_TOKEN");
        assertProblem(client.get(PATH, "Authorization", "Bearer " + TOKENS.expired(OWNER)), 401, "TOKEN_EXPIRED");
        assertProblem(client.get(PATH, "Authorization", "Bearer " + TOKENS.wrongKey(OWNER)), 401, "INVALID_TOKEN");
        assertProblem(client.get(PATH, "Authorization", "Bearer " + TOKENS.algNone(OWNER, List.of(${resourceClass}Service.ADMIN))),
                      401, "INVALID_TOKEN");
        assertProblem(client.get(PATH, "Authorization", "Bearer " + TOKENS.wrongIssuer(OWNER)), 401, "INVALID_TOKEN");
        assertProblem(client.get(PATH, "Authorization", "Bearer " + TOKENS.wrongAudience(OWNER)), 401, "INVALID_TOKEN");
        assertThat("nothing changed", get(path).json().getInt("version"), is(1));
    }

    @Test
    void probesAndMetricsAreServedWithoutTokenOnTheManagementPortOnly() {
        assertThat(management.get("/health/live").status(), is(200));
        Response ready = management.get("/health/ready");
        assertThat(ready.body(), ready.status(), is(200));
        assertThat(ready.body(), containsString("\"db\""));
        assertThat(ready.body(), containsString("\"secrets\""));
        assertThat(management.get("/health/started").status(), is(200));
        String id = UUID.randomUUID().toString();
        get(PATH + "/" + id);
        String metrics = management.get("/metrics").body();
        assertThat(metrics, containsString("uri=\"" + PATH + "/{id}\""));
        assertThat(metrics, not(containsString(id)));
        // the adaptive concurrency limit is in the pipeline (resilience.concurrency)
        assertThat(metrics, containsString("resilience_concurrency_limit{"));
        assertThat(metrics, containsString("resilience_concurrency_in_flight{"));
        assertThat(metrics, containsString("resilience_concurrency_shed_total{"));
        assertProblem(client.get("/health/ready", "Authorization", "Bearer " + TOKENS.valid(OWNER)), 404, "NOT_FOUND");
        assertProblem(client.get("/metrics", "Authorization", "Bearer " + TOKENS.valid(OWNER)), 404, "NOT_FOUND");
    }

    @Test
    void apiReferencePageRendersTheDocumentWithoutToken() {
        // openapi.ui.enabled in application.yaml: Swagger UI, served by the service itself, reading /openapi
        Response page = client.get("/openapi/ui");
        assertThat(page.body(), page.status(), is(200));
        assertThat(page.header("Content-Type").orElse(""), startsWith("text/html"));
        assertThat(page.body(), containsString("<script src=\"/openapi/ui/swagger-ui-bundle.js\">"));
        assertThat(page.body(), containsString("data-document=\"/openapi\""));
        Response bundle = client.get("/openapi/ui/swagger-ui-bundle.js");
        assertThat(bundle.status(), is(200));
        assertThat(bundle.header("Content-Type").orElse(""), startsWith("text/javascript"));
        assertProblem(client.get("/openapi/ui/no-such-file.js"), 404, "NOT_FOUND");
    }
}
