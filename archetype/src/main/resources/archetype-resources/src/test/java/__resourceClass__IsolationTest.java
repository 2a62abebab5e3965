package ${package};

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.ProblemAssertions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static ${package}.Abstract${resourceClass}ServiceTest.create;
import static ${package}.Abstract${resourceClass}ServiceTest.get;
import static ${package}.Abstract${resourceClass}ServiceTest.json;
import static ${package}.Abstract${resourceClass}ServiceTest.request;
import static ${package}.Abstract${resourceClass}ServiceTest.send;
import static ${package}.Abstract${resourceClass}ServiceTest.start;
import static ${package}.Abstract${resourceClass}ServiceTest.unique;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * No user reaches another's cached list page (on H2, in-process caches): a token subject that looks like the "every
 * owner" marker ({@code *}) or holds a key separator ({@code |}) gets its own page, never an admin's page of every
 * owner or another owner's page cached before it.
 */
class ${resourceClass}IsolationTest {
    @BeforeAll
    static void startOnH2() throws Exception {
        start(Map.of());
        // the first write in a JVM initialises JSON binding and request validation: not a test of its own
        try (HttpClient http = HttpClient.newHttpClient()) {
            http.send(request(${resourceClass}Service.PATH).timeout(Duration.ofMinutes(2))
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString(json(unique("warm-up"), "x"))).build(),
                      HttpResponse.BodyHandlers.discarding());
        }
    }

    @AfterAll
    static void stop() {
        Abstract${resourceClass}ServiceTest.stop();
    }

    @Test
    void subjectStarNeverGetsTheAdminsPageOfEveryOwner() {
        String victim = unique("victim");
        assertThat(create("secret-plan", victim).status(), is(201));
        String admin = unique("root");
        assertThat(list(admin, ${resourceClass}Service.ADMIN), not(empty()));   // cached: every owner

        List<JsonObject> star = list("*");
        assertThat(star.stream().map(it -> it.getString("ownerId")).toList(), everyItem(is("*")));
        create("star-plan", "*");
        assertThat(list("*"), hasSize(star.size() + 1));
    }

    @Test
    void subjectsWithSeparatorsGetTheirOwnPage() {
        String owner = unique("provider");
        assertThat(create("owned", owner).status(), is(201));
        assertThat(list(owner), hasSize(1));
        assertThat(list(owner + "|"), is(empty()));
        assertThat(list(owner + "|100"), is(empty()));
        assertThat(list(owner), hasSize(1));
    }

    @Test
    void ifMatchComparesStrongly() {
        String path = ${resourceClass}Service.PATH + "/" + create(unique("etag")).json().getString("id");
        String renamed = json("renamed", "x");
        ProblemAssertions.assertProblem(send("PUT", path, renamed, "If-Match", "W/\"1\""), 412, "PRECONDITION_FAILED");
        ProblemAssertions.assertProblem(send("PUT", path, renamed, "If-Match", "1"), 412, "PRECONDITION_FAILED");
        assertThat(send("PUT", path, renamed, "If-Match", "\"1\"").status(), is(200));
    }

    private static List<JsonObject> list(String subject, String... roles) {
        Response res = get(${resourceClass}Service.PATH + "?limit=100", subject, roles);
        assertThat(res.body(), res.status(), is(200));
        return res.json().getJsonArray("data").getValuesAs(JsonObject.class);
    }
}
