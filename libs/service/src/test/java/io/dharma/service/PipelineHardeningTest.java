package io.dharma.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.RawHttp;
import io.dharma.testing.RawHttp.Answer;
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

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every request gets an answer, whatever its method, path and headers: malformed headers any filter parses are 4xx
 * problems (never a hang, never a 500), paths that are not in normal form are rejected before any filter or handler
 * acts on them, arbitrary methods cannot create metric series, and HEAD answers like GET without a body.
 */
class PipelineHardeningTest {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    private static final String SIGNING_KEY = Tokens.randomSecret();
    private static final String TOKEN = Tokens.hmac(SIGNING_KEY).valid("tester");
    private static final String BODY = "{\"name\": \"bolt\"}";
    private static final AtomicInteger DELETES = new AtomicInteger();
    /** Headers some filter of the pipeline (or Helidon under it) parses. */
    private static final List<String> PARSED_HEADERS = List.of(
            "Content-Type", "Accept", "Authorization", "If-Match", "If-None-Match", "Origin", "Forwarded",
            "X-Forwarded-For", "traceparent", "X-Correlation-Id", "Content-Length", "Transfer-Encoding");
    /** Values that broke or could break a parser: the reported ones first. */
    private static final List<String> MALFORMED = List.of(
            "", ";;", "/", "application/json;;a=b=c", "application/json; charset=nope", "a".repeat(3000),
            "*/*;q=x", "application/json; charset=\"", "=", ",,,", "W/", "\"unterminated", "for=\"[::1", "-1",
            "99999999999999999999", "chunked, chunked", "00-zz-zz-01", "Bearer", "Bearer a.b", "%00", "null");
    private static DharmaService service;
    private static RawHttp raw;
    private static HttpTestClient management;

    @BeforeAll
    static void start() {
        Map<String, String> config = new HashMap<>();
        config.put("server.port", "0");
        config.put("management.port", "0");
        config.put("server.host", "127.0.0.1");
        config.put("db.enabled", "false");
        config.put("service.drain-delay", "PT0S");
        config.put("security.jwt.hmac-secret", SIGNING_KEY);
        config.put("security.cors.allowed-origins.0", "https://app.test");
        config.put("cache.http.0.path", "/api/v1/things/{id}");
        config.put("rate-limit.trusted-proxies.0", "127.0.0.1/32");
        config.put("rate-limit.policies.ip.key", "ip");
        config.put("rate-limit.policies.ip.capacity", "100000");
        config.put("rate-limit.policies.ip.period", "PT60S");
        service = DharmaService.builder("hardening-test")
                .config(Config.just(ConfigSources.create(config)))
                .shutdownHook(false)
                .api("/api/v1/things", ctx -> new Things())
                .start();
        raw = RawHttp.create(service.port(), ANSWER_TIMEOUT);
        management = HttpTestClient.create(service.managementPort());
    }

    @AfterAll
    static void stop() {
        service.stop();
    }

    @Test
    void malformedValuesOfEveryParsedHeaderAreAnsweredWithoutServerErrors() {
        List<String> values = new ArrayList<>(MALFORMED);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 20; i++) {
            values.add(randomValue(random));
        }
        for (String header : PARSED_HEADERS) {
            for (String value : values) {
                List<String> headers = new ArrayList<>();
                headers.add(header + ": " + value);
                if (!header.equals("Authorization")) {
                    headers.add("Authorization: Bearer " + TOKEN);
                }
                if (!header.equals("Content-Type")) {
                    headers.add("Content-Type: application/json");
                }
                String what = header + ": " + abbreviate(value) + " (seed " + seed + ")";
                Answer answer = raw.send("POST /api/v1/things/1 HTTP/1.1", headers, BODY);
                assertThat(what + " -> " + answer.body(), answer.status(), lessThan(500));
                if (answer.status() >= 400) {
                    assertThat(what, answer.header("Content-Type").orElse(""), startsWith("application/problem+json"));
                    assertThat(what, answer.body(), not(containsString("Exception")));
                }
            }
        }
    }

    @Test
    void aCachedRouteVariesByOriginAndByCallerWhileCorsIsOn() {
        // CORS sets Vary: Origin, the caching rule Vary: Authorization; neither may replace the other
        Answer answer = raw.send("GET /api/v1/things/1 HTTP/1.1",
                                 List.of("Authorization: Bearer " + TOKEN, "Origin: https://app.test"), "");
        assertThat(answer.body(), answer.status(), is(200));
        List<String> vary = Arrays.stream(answer.header("Vary").orElse("").split(",")).map(String::strip).toList();
        assertThat(vary, hasItems("Origin", "Authorization"));
        assertThat(answer.header("Cache-Control").orElse(""), is("private, no-cache"));
    }

    @Test
    void theReportedContentTypesGetProblems() {
        for (String contentType : List.of(";;", "/", "application/json;;a=b=c", "a".repeat(3000))) {
            Answer answer = post(contentType);
            assertThat(contentType, answer.status(), is(400));
            assertThat(answer.body(), containsString("\"code\":\"BAD_REQUEST\""));
            assertThat(answer.body(), containsString("header/Content-Type"));
        }
        assertThat(post("application/json; charset=nope").status(), is(415));
        assertThat(post("application/json; charset=utf-8").status(), is(200));
    }

    @Test
    void pathsNotInNormalFormAreRejectedBeforeAnyFilterOrHandlerActs() {
        assertRefusedBeforeAnyHandler(400, "/api/v1/things/1",
                                      "/metrics/../api/v1/things/1", "/api/v1/./things/1", "/api/v1/things/x/../1",
                                      "/api/v1/things/%2e%2e/things/1", "/api%2Fv1/things/1", "/api/v1/things%2F1",
                                      "//api/v1/things/1", "/api/v1//things/1", "/api/v1/things/1/..",
                                      "/api/v1/things/1/.", "/api/v1/things\\1", "/api/v1/things/%2E/1");
    }

    @Test
    void aTrailingSlashIsNoResourceThoughHelidonWouldRouteIt() {
        // Helidon routes "/api/v1/things/" to the service's "/" route, which path templates (request validation, route
        // limits, access rules) do not match: such a path would reach the handler unchecked
        assertRefusedBeforeAnyHandler(404, "/api/v1/things",
                                      "/api/v1/things/", "/api/v1/things/1/", "/api/v1/things/?all=true");
    }

    /** Each path gets a problem with {@code status} and no handler runs; {@code accepted} does reach its handler. */
    private void assertRefusedBeforeAnyHandler(int status, String accepted, String... paths) {
        int before = DELETES.get();
        for (String path : paths) {
            Answer answer = raw.send("DELETE " + path + " HTTP/1.1", List.of("Authorization: Bearer " + TOKEN), "");
            assertThat(path + " -> " + answer.body(), answer.status(), is(status));
            assertThat(path, answer.header("Content-Type").orElse(""), startsWith("application/problem+json"));
        }
        assertThat("no handler ran", DELETES.get(), is(before));
        Answer normal = raw.send("DELETE " + accepted + " HTTP/1.1", List.of("Authorization: Bearer " + TOKEN), "");
        assertThat(normal.status(), is(204));
        assertThat(DELETES.get(), is(before + 1));
    }

    @Test
    void arbitraryMethodsShareOneMetricLabel() {
        for (int i = 0; i < 5; i++) {
            Answer answer = raw.send("A" + i + "Z /api/v1/things/1 HTTP/1.1", List.of("Authorization: Bearer " + TOKEN), "");
            assertThat(answer.status(), lessThan(500));
        }
        String metrics = management.get("/metrics").body();
        assertThat(metrics, containsString("method=\"" + ObservationFilter.OTHER_METHOD + "\""));
        for (int i = 0; i < 5; i++) {
            assertThat(metrics, not(containsString("method=\"A" + i + "Z\"")));
        }
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        List<String> auth = List.of("Authorization: Bearer " + TOKEN);
        RawHttp.Request get = new RawHttp.Request("GET /api/v1/things/1 HTTP/1.1", auth, "");
        // on one connection: a body after the HEAD answer would garble the answer that follows it
        List<Answer> answers = raw.exchange(List.of(get, new RawHttp.Request("HEAD /api/v1/things/1 HTTP/1.1", auth, ""),
                                                    new RawHttp.Request("HEAD /api/v1/things/missing HTTP/1.1", auth, ""),
                                                    new RawHttp.Request("HEAD /api/v1/nothing HTTP/1.1", auth, ""),
                                                    new RawHttp.Request("HEAD /api/v1/things/1 HTTP/1.1", List.of(), ""),
                                                    get));
        Answer head = answers.get(1);
        assertThat(head.status(), is(200));
        assertThat(head.header("Content-Type"), is(answers.getFirst().header("Content-Type")));
        assertThat(head.header("Content-Length"), is(answers.getFirst().header("Content-Length")));
        assertThat(head.header("ETag"), is(answers.getFirst().header("ETag")));
        assertThat(answers.get(2).status(), is(404));
        assertThat(answers.get(3).status(), is(404));
        assertThat(answers.get(4).status(), is(401));
        assertThat(answers.get(4).header("Content-Type").orElse(""), startsWith("application/problem+json"));
        assertThat("the answer after the HEAD answers is intact", answers.get(5).body(), is(answers.getFirst().body()));
    }

    private static Answer post(String contentType) {
        return raw.send("POST /api/v1/things/1 HTTP/1.1",
                        List.of("Authorization: Bearer " + TOKEN, "Content-Type: " + contentType), BODY);
    }

    /** Printable ASCII with a bias towards the separators header grammars use. */
    private static String randomValue(Random random) {
        String alphabet = ";,=/\"\\*.:- \tabcxyzAZ019%()<>@[]{}?";
        StringBuilder value = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            value.append(random.nextInt(4) == 0 ? (char) (33 + random.nextInt(94))
                                 : alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return value.toString().strip();
    }

    private static String abbreviate(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "..." : value;
    }

    private static final class Things implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/{id}", (req, res) -> {
                String id = req.path().pathParameters().get("id");
                if (id.equals("missing")) {
                    throw io.dharma.errors.ApiException.notFound("no thing");
                }
                res.header(HeaderNames.ETAG, "\"1\"").header(HeaderNames.CONTENT_TYPE, "application/json")
                        .send("{\"id\":\"" + id + "\"}");
            }).post("/{id}", (req, res) -> res.send(Requests.json(req, DharmaServiceTest.Thing.class)))
                    .delete("/{id}", (req, res) -> {
                        DELETES.incrementAndGet();
                        res.status(Status.NO_CONTENT_204).send();
                    })
                    .delete("/", (req, res) -> {
                        DELETES.incrementAndGet();
                        res.status(Status.NO_CONTENT_204).send();
                    });
        }
    }
}
