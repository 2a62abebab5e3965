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

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/**
 * The ${resourcePlural} API against a real running service (real socket, real database); one subclass per database.
 */
abstract class Abstract${resourceClass}ServiceTest {
    static final String PATH = ${resourceClass}Service.PATH;
    private static DharmaService service;
    private static HttpTestClient client;

    static void start(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(overrides);
        config.put("server.port", "0");
        config.put("server.host", "127.0.0.1");
        service = Main.start(DharmaService.builder(Main.NAME)
                                     .config(Config.just(ConfigSources.create(config),
                                                         ConfigSources.classpath("application.yaml")))
                                     .shutdownHook(false));
        client = HttpTestClient.create(service.port());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.stop();
        }
    }

    static Response create(String name) {
        return client.json("POST", PATH, "{\"name\": \"" + name + "\", \"description\": \"first\"}");
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void createReturnsLocationEtagAndBody() {
        String name = unique("create");
        Response res = create("  " + name + " ");
        assertThat(res.body(), res.status(), is(201));
        JsonObject json = res.json();
        assertThat(res.header("Location").orElseThrow(), is(PATH + "/" + json.getString("id")));
        assertThat(res.header("ETag").orElseThrow(), is("\"1\""));
        assertThat(json.getString("name"), is(name));
        assertThat(json.getString("description"), is("first"));
        assertThat(json.getInt("version"), is(1));
        assertThat(client.get(PATH + "/" + json.getString("id")).json(), is(json));
    }

    @Test
    void getHonoursIfNoneMatch() {
        String id = create(unique("get")).json().getString("id");
        Response first = client.get(PATH + "/" + id);
        assertThat(first.status(), is(200));
        String etag = first.header("ETag").orElseThrow();
        Response second = client.send(client.request(PATH + "/" + id).header("If-None-Match", etag).build());
        assertThat(second.status(), is(304));
        assertThat(second.body(), is(""));
        Response other = client.send(client.request(PATH + "/" + id).header("If-None-Match", "\"99\"").build());
        assertThat(other.status(), is(200));
    }

    @Test
    void replaceNeedsIfMatchAndRejectsStaleVersions() {
        String id = create(unique("replace")).json().getString("id");
        String path = PATH + "/" + id;
        String update = "{\"name\": \"" + unique("renamed") + "\", \"description\": \"second\"}";

        assertProblem(client.json("PUT", path, update), 428, "PRECONDITION_REQUIRED");
        Response ok = client.json("PUT", path, update, "If-Match", "\"1\"");
        assertThat(ok.body(), ok.status(), is(200));
        assertThat(ok.header("ETag").orElseThrow(), is("\"2\""));
        assertThat(ok.json().getString("description"), is("second"));
        Response stale = client.json("PUT", path, update, "If-Match", "\"1\"");
        assertProblem(stale, 412, "PRECONDITION_FAILED");
        assertThat(stale.header("ETag").orElseThrow(), is("\"2\""));
        assertThat(client.get(path).json().getInt("version"), is(2));
        assertProblem(client.json("PUT", PATH + "/" + UUID.randomUUID(), update, "If-Match", "\"1\""), 404, "NOT_FOUND");
    }

    @Test
    void deleteRemovesIt() {
        String path = PATH + "/" + create(unique("delete")).json().getString("id");
        assertThat(client.send(client.request(path).DELETE().build()).status(), is(204));
        assertProblem(client.get(path), 404, "NOT_FOUND");
        assertProblem(client.send(client.request(path).DELETE().build()), 404, "NOT_FOUND");
    }

    @Test
    void duplicateNameIsAConflict() {
        String name = unique("twice");
        assertThat(create(name).status(), is(201));
        assertProblem(create(name), 409, "CONFLICT");
    }

    @Test
    void keysetPagesWalkEveryRowOnceNewestFirst() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(create(unique("page-" + i)).json().getString("id"));
        }
        List<String> seen = new ArrayList<>();
        String previous = null;
        String cursor = null;
        do {
            Response page = client.get(PATH + "?limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.body(), page.status(), is(200));
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
        assertThat(seen.size(), greaterThanOrEqualTo(created.size()));
        created.forEach(id -> assertThat(seen, hasItem(id)));
    }

    @Test
    void invalidInputIsAProblemAndChangesNothing() {
        String tooLong = "x".repeat(${resourceClass}Request.MAX_NAME + 1);
        JsonObject problem = assertProblem(
                client.json("POST", PATH, "{\"name\": \"" + tooLong + "\", \"description\": \"" + "d".repeat(2001) + "\"}"),
                400, "VALIDATION_FAILED");
        String fields = problem.getJsonArray("errors").toString();
        assertThat(fields, containsString("\"name\""));
        assertThat(fields, containsString("\"description\""));
        assertProblem(client.json("POST", PATH, "{\"description\": \"no name\"}"), 400, "VALIDATION_FAILED");
        assertProblem(client.json("POST", PATH, "{\"name\": \"   \"}"), 400, "VALIDATION_FAILED");
        assertProblem(client.json("POST", PATH, "{\"name\": "), 400, "MALFORMED_JSON");
        assertProblem(client.json("POST", PATH, "[1, 2]"), 400, "MALFORMED_JSON");
        assertProblem(client.send(client.request(PATH).header("Content-Type", "text/plain")
                                          .POST(HttpRequest.BodyPublishers.ofString("x")).build()),
                      415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void badParametersAreProblems() {
        assertProblem(client.get(PATH + "/not-a-uuid"), 400, "VALIDATION_FAILED");
        assertProblem(client.get(PATH + "?limit=0"), 400, "VALIDATION_FAILED");
        assertProblem(client.get(PATH + "?limit=101"), 400, "VALIDATION_FAILED");
        assertProblem(client.get(PATH + "?cursor=forged.cursor"), 400, "BAD_REQUEST");
        assertProblem(client.get(PATH + "/" + UUID.randomUUID()), 404, "NOT_FOUND");
        Response patch = client.json("PATCH", PATH + "/" + UUID.randomUUID(), "{}");
        assertProblem(patch, 405, "METHOD_NOT_ALLOWED");
        assertThat(patch.header("Allow").orElseThrow(), containsString("PUT"));
    }

    @Test
    void probesAndMetricsAreServed() {
        assertThat(client.get("/health/live").status(), is(200));
        Response ready = client.get("/health/ready");
        assertThat(ready.body(), ready.status(), is(200));
        assertThat(ready.body(), containsString("\"db\""));
        assertThat(client.get("/health/started").status(), is(200));
        String id = UUID.randomUUID().toString();
        client.get(PATH + "/" + id);
        String metrics = client.get("/metrics").body();
        assertThat(metrics, containsString("route=\"" + PATH + "/{id}\""));
        assertThat(metrics, not(containsString(id)));
    }
}
