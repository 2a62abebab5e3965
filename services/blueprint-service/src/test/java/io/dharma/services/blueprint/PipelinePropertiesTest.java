package io.dharma.services.blueprint;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.RawHttp;
import io.dharma.testing.Tokens;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static io.dharma.testing.ProblemAssertions.assertNoInternals;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Properties of the whole request pipeline of a running blueprint-service (in-memory H2, real socket), for generated
 * requests: methods, paths (valid and unknown ids, malformed ids, odd encodings, long paths, traversal), headers
 * ({@code Content-Type}, {@code Accept}, {@code Authorization} valid / forged / missing, {@code If-Match},
 * {@code If-None-Match}, odd values) and bodies (valid, malformed JSON, wrong types, oversized, unicode). For every
 * request: an answer arrives within 10 s; no 5xx but 503; every error is {@code application/problem+json} with the RFC
 * 9457 members and no internals; a rejected request (4xx) changes no row. Tries: {@code jqwik.tries.default} in
 * junit-platform.properties (200), more with {@code -Pfaults-long}.
 */
class PipelinePropertiesTest {
    private static final String DB = "jdbc:h2:mem:pipeline-properties;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    private static final String KEY = Tokens.randomSecret();
    private static final Tokens TOKENS = Tokens.hmac(KEY);
    private static final String VALID = "Bearer " + TOKENS.valid("property-owner", List.of(), "enterprise");
    private static DharmaService service;
    private static RawHttp raw;
    private static Connection db;
    private static String knownId;

    @BeforeContainer
    static void start() throws SQLException {
        service = TestServices.start(Map.of("db.url", DB, "rate-limit.policies.user.per-tier.enterprise", "1000000"), KEY);
        raw = RawHttp.create(service.port(), Duration.ofSeconds(10));
        db = DriverManager.getConnection(DB);
        HttpTestClient.Response created = HttpTestClient.create(service.port()).json("POST", "/api/v1/blueprints",
                validBody("known"), "Authorization", VALID);
        assertThat(created.body(), created.status(), is(201));
        knownId = created.json().getString("id");
    }

    @AfterContainer
    static void stop() throws SQLException {
        if (db != null) {
            db.close();
        }
        if (service != null) {
            service.stop();
        }
    }

    @Property
    void everyRequestGetsAWellFormedAnswerAndARejectedOneChangesNothing(@ForAll("requests") GeneratedRequest request)
            throws SQLException {
        String before = tables();
        RawHttp.Answer answer = raw.send(request.requestLine(), request.headers(), request.body());
        int status = answer.status();
        String what = status + " to " + request + ": " + answer.body();
        assertThat("no 5xx but 503: " + what, status < 500 || status == 503, is(true));
        if (status >= 400) {
            if (!request.method().equals("HEAD")) {
                assertThat(what, answer.header("Content-Type").orElse(""), startsWith("application/problem+json"));
                JsonObject problem;
                try (JsonReader reader = Json.createReader(new StringReader(answer.body()))) {
                    problem = reader.readObject();
                }
                for (String member : List.of("type", "title", "detail", "instance")) {
                    assertThat(member + " in " + what, problem.containsKey(member), is(true));
                }
                assertThat(what, problem.getInt("status"), is(status));
                assertNoInternals(answer.body());
            }
            assertThat("a rejected request changed rows: " + what, tables(), is(before));
        }
    }

    @Provide
    Arbitrary<GeneratedRequest> requests() {
        Arbitrary<String> methods = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of("GET")), Tuple.of(4, Arbitraries.of("POST")), Tuple.of(4, Arbitraries.of("PUT")),
                Tuple.of(2, Arbitraries.of("DELETE")), Tuple.of(2, Arbitraries.of("HEAD", "PATCH", "OPTIONS", "TRACE", "FOO")));
        Arbitrary<String> paths = Arbitraries.oneOf(
                Arbitraries.of("/api/v1/blueprints", "/api/v1/blueprints/", "/api/v1/blueprints?limit=5",
                               "/api/v1/blueprints?limit=-1", "/api/v1/blueprints?limit=abc&cursor=%zz",
                               "/api/v1/blueprints?cursor=AAAA", "/api/v1/blueprints?targetCloud=mars",
                               "/api/v1/blueprints/../../etc/passwd", "/api/v1/blueprints/%2e%2e/%2e%2e",
                               "/api/v1/blueprints/%00", "/api/v1/blueprints/%ff%fe", "/api/v1/blueprints/%2F",
                               "/api/v1//blueprints", "/api/v1/blueprints/a%20b", "/API/V1/BLUEPRINTS", "/openapi",
                               "/api/v1/blueprints/\u00e9", "/", "/api/v2/blueprints", "/api/v1/blueprints/1/cost/x"),
                Arbitraries.of("known", "unknown", "not-a-uuid").map(kind -> "/api/v1/blueprints/" + switch (kind) {
                    case "known" -> knownId;
                    case "unknown" -> UUID.randomUUID().toString();
                    default -> "12345";
                }),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40)
                        .map(s -> "/api/v1/blueprints/" + s.replace(" ", "").replace("#", "%23").replace("?", "%3F")),
                Arbitraries.integers().between(1000, 3000).map(n -> "/api/v1/blueprints/" + "a".repeat(n)));
        Arbitrary<List<String>> headers = Combinators.combine(
                Arbitraries.of("", "Content-Type: application/json", "Content-Type: text/plain",
                               "Content-Type: application/json; charset=utf-16", "Content-Type: ;;",
                               "Content-Type: application/problem+json", "Content-Type: application/json; charset=nope"),
                Arbitraries.of("", "Accept: */*", "Accept: application/xml", "Accept: ;;q=x", "Accept: application/json"),
                Arbitraries.of("", VALID, "Bearer " + TOKENS.wrongKey("forger"), "Bearer " + TOKENS.expired("old"),
                               "Bearer " + TOKENS.algNone("none", List.of()), "Bearer ", "Basic dXNlcjpwYXNz",
                               "Bearer a.b.c", "Bearer " + "x".repeat(5000)),
                Arbitraries.of("", "If-Match: \"1\"", "If-Match: *", "If-Match: garbage", "If-None-Match: \"1\"",
                               "If-None-Match: W/\"1\"", "If-Match: \"99999999999999999999\"", "If-None-Match: ,,,"))
                .as((type, accept, auth, conditional) -> {
                    List<String> lines = new ArrayList<>();
                    for (String line : List.of(type, accept, conditional)) {
                        if (!line.isEmpty()) {
                            lines.add(line);
                        }
                    }
                    if (!auth.isEmpty()) {
                        lines.add("Authorization: " + auth);
                    }
                    return lines;
                });
        Arbitrary<String> bodies = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().alpha().ofMinLength(3).ofMaxLength(20).map(PipelinePropertiesTest::validBody)),
                Tuple.of(3, Arbitraries.of("", "{", "[]", "null", "{\"name\": 7}", "{\"name\": \"x\", \"resources\": {}}",
                                        "{\"name\": \"\\u0000\\ud800\", \"targetCloud\": \"aws\", \"resources\": []}",
                                        "{\"name\": \"caf\u00e9 \u6f22\u5b57 \ud83d\ude00\", \"targetCloud\": \"aws\","
                                                + " \"resources\": []}",
                                        "{\"name\": \"abc\", \"targetCloud\": \"aws\", \"resources\": [{\"type\": \"vm\","
                                                + " \"size\": \"small\", \"count\": \"many\", \"region\": \"r\"}]}",
                                        "{\"name\": \"abc\", \"targetCloud\": \"aws\", \"resources\": [], \"id\": \"x\","
                                                + " \"version\": -1, \"ownerId\": \"someone-else\"}",
                                        "{\"name\": \"abc\", \"targetCloud\": \"aws\", \"resources\": [{\"type\": \"vm\","
                                                + " \"size\": \"small\", \"count\": 99999999999999999999, \"region\": \"r\"}]}")),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(200)),
                Tuple.of(1, Arbitraries.of("{\"name\": \"" + "x".repeat(1_100_000) + "\"}",
                                        "[".repeat(100_000) + "]".repeat(100_000))));
        return Combinators.combine(methods, paths, headers, bodies).as(GeneratedRequest::new);
    }

    /** Every row of the service's tables, as text (the tables are small: one row per accepted create). */
    private static String tables() throws SQLException {
        StringBuilder rows = new StringBuilder();
        try (Statement statement = db.createStatement()) {
            for (String query : List.of("SELECT * FROM blueprints ORDER BY id", "SELECT * FROM blueprint_resources ORDER BY id")) {
                try (ResultSet result = statement.executeQuery(query)) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        for (int i = 1; i <= columns; i++) {
                            rows.append(result.getString(i)).append('|');
                        }
                        rows.append('\n');
                    }
                }
            }
        }
        return rows.toString();
    }

    private static String validBody(String name) {
        return """
                {"name": "%s-%s", "targetCloud": "aws", "resources": [{"type": "vm", "size": "small", "count": 1,
                 "region": "us-east-1"}]}""".formatted(name, UUID.randomUUID().toString().substring(0, 8));
    }

    /** One generated request (its {@code toString} is what a failure report shows, the body abbreviated). */
    record GeneratedRequest(String method, String path, List<String> headers, String body) {
        String requestLine() {
            return method + " " + path + " HTTP/1.1";
        }

        @Override
        public String toString() {
            return method + " " + (path.length() > 120 ? path.substring(0, 120) + "..." : path) + " " + headers.stream()
                    .map(h -> h.length() > 80 ? h.substring(0, 80) + "..." : h).toList() + " body("
                    + body.length() + "): " + (body.length() > 120 ? body.substring(0, 120) + "..." : body);
        }
    }
}
