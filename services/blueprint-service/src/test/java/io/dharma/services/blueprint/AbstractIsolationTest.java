package io.dharma.services.blueprint;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.json.JsonObject;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * What one user's request may not learn about another's data or break: list pages cached for one user (an admin's
 * page of every owner, another owner's filtered page) are never answered to a user whose token subject looks like a
 * key separator or the "every owner" marker; conditional requests compare ETags as RFC 9110 says (strong for
 * If-Match, weak for If-None-Match) and a malformed header is a 412 or a full answer, never a 500; search text is
 * never a wildcard. One subclass per database (and cache layout).
 */
abstract class AbstractIsolationTest {
    private static final String KEY = Tokens.randomSecret();
    private static final Tokens TOKENS = Tokens.hmac(KEY);
    private static DharmaService service;
    private static HttpTestClient client;

    static void start(Map<String, String> overrides) {
        service = TestServices.start(overrides, KEY);
        client = HttpTestClient.create(service.port());
        // the first write in a JVM initialises JSON binding and request validation: not a test of its own
        client.send(client.request("/api/v1/blueprints").timeout(Duration.ofMinutes(2))
                            .header("Content-Type", "application/json").header("Authorization", bearer("warm-up"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"warm-up\", \"targetCloud\": \"aws\"}"))
                            .build());
    }

    @AfterAll
    static void stopService() {
        Optional.ofNullable(service).ifPresent(DharmaService::stop);
    }

    @Test
    void subjectStarNeverGetsTheAdminsPageOfEveryOwner() {
        String victim = "victim-" + UUID.randomUUID();
        assertThat(create("secret-plan", victim).status(), is(201));
        List<JsonObject> everyOwner = list("/api/v1/blueprints?limit=100", "root", "admin");   // cached for every owner
        assertThat(everyOwner, not(empty()));

        List<JsonObject> star = list("/api/v1/blueprints?limit=100", "*");
        assertThat(star.stream().map(b -> b.getString("ownerId")).toList(), everyItem(is("*")));
        create("star-plan", "*");
        assertThat(list("/api/v1/blueprints?limit=100", "*"), hasSize(star.size() + 1));
    }

    @Test
    void subjectsWithSeparatorsNeverGetAnotherOwnersPage() {
        String owner = "provider-" + UUID.randomUUID();
        assertThat(create("draft |plan", owner).status(), is(201));
        // cached for owner + status=draft + q="|plan"; fields joined with '|' gave subject owner|draft + q=plan one key
        assertThat(list("/api/v1/blueprints?status=draft&q=" + query("|plan"), owner), hasSize(1));

        assertThat(list("/api/v1/blueprints?q=plan", owner + "|draft"), is(empty()));
        assertThat(list("/api/v1/blueprints?status=draft", owner + "|"), is(empty()));
        assertThat(list("/api/v1/blueprints?status=draft&q=" + query("|plan"), owner), hasSize(1));
    }

    @Test
    void ifMatchIsStrongAndIfNoneMatchIsWeak() {
        String owner = "etag-" + UUID.randomUUID();
        String path = "/api/v1/blueprints/" + create("etag-plan", owner).json().getString("id");
        assertProblem(put(path, owner, "W/\"1\""), 412, "PRECONDITION_FAILED");
        Response notModified = client.get(path, "If-None-Match", "W/\"1\"", "Authorization", bearer(owner));
        assertThat(notModified.status(), is(304));
        assertThat(put(path, owner, "\"7\", \"1\"").status(), is(200));
        assertThat(put(path, owner, "*").status(), is(200));
    }

    @Test
    void malformedConditionalHeadersNeverMatchAndNeverFail() {
        String owner = "malformed-" + UUID.randomUUID();
        String path = "/api/v1/blueprints/" + create("malformed-plan", owner).json().getString("id");
        for (String header : List.of("1", "\"1", "1\"", ",", ", ,", "W/", "W/1", "\"1\" \"1\"", "*, \"1\"", "",
                                     "\"1\"x", "x".repeat(3000))) {
            assertProblem(put(path, owner, header), 412, "PRECONDITION_FAILED");
            Response full = client.get(path, "If-None-Match", header, "Authorization", bearer(owner));
            assertThat(header, full.status(), is(200));
        }
        assertThat(put(path, owner, "\"1\"").status(), is(200));
    }

    @Test
    void searchTextIsNeverAWildcard() {
        String owner = "search-" + UUID.randomUUID();
        create("sale 100% off", owner);
        create("snake_case plan", owner);
        create("plain plan", owner);
        assertThat(names(owner, "%"), is(expectedForSymbols("sale 100% off")));
        assertThat(names(owner, "_"), is(expectedForSymbols("snake_case plan")));
        assertThat(names(owner, "\\"), is(empty()));
        assertThat(names(owner, "plan"), hasSize(2));
        assertThat(names(owner, "PLAIN"), is(List.of("plain plan")));
    }

    /**
     * What a search for a lone symbol finds: on PostgreSQL full-text search ignores punctuation (nothing), on H2 the
     * literal substring (the one name containing it).
     */
    abstract List<String> expectedForSymbols(String nameContainingIt);

    private static List<String> names(String owner, String q) {
        return list("/api/v1/blueprints?q=" + query(q), owner).stream()
                .map(b -> b.getString("name"))
                .toList();
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Response create(String name, String owner) {
        return client.json("POST", "/api/v1/blueprints", "{\"name\": \"%s\", \"targetCloud\": \"aws\"}".formatted(name),
                           "Authorization", bearer(owner));
    }

    private static Response put(String path, String owner, String ifMatch) {
        return client.json("PUT", path, "{\"name\": \"renamed\", \"targetCloud\": \"gcp\"}", "If-Match", ifMatch,
                           "Authorization", bearer(owner));
    }

    private static List<JsonObject> list(String path, String subject, String... roles) {
        Response res = client.get(path, "Authorization", bearer(subject, roles));
        assertThat(res.body(), res.status(), is(200));
        return res.json().getJsonArray("data").getValuesAs(JsonObject.class);
    }

    private static String bearer(String subject, String... roles) {
        return "Bearer " + TOKENS.valid(subject, List.of(roles), "enterprise");
    }
}
