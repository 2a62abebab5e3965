package io.dharma.security;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.logging.Logging;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.dharma.security.Fixtures.send;
import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * CORS in front of authentication: preflights are answered without a token and without reaching a handler; actual
 * requests from allowed origins get the CORS headers, problems included; other origins get none.
 */
@ServerTest
class CorsTest {
    static final String APP = "https://app.example.com";
    static final String EXPOSED = "ETag, Location, X-Correlation-Id, Retry-After, WWW-Authenticate";
    private static final Tokens RSA = Tokens.rsa("rsa-c");
    private static final AtomicInteger HANDLED = new AtomicInteger();

    private final HttpTestClient client;

    CorsTest(URI uri) {
        this.client = HttpTestClient.create(uri.getPort());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        SecurityConfig config = SecurityConfig.create(Fixtures.config(Map.of(
                "jwt.issuer", Tokens.ISSUER,
                "jwt.audience", Tokens.AUDIENCE,
                "cors.allowed-origins.0", APP,
                "cors.allowed-origins.1", "https://*.tenants.example.com",
                "cors.allow-credentials", "true",
                "cors.max-age", "PT10M",
                "jwt.public-keys.0.kid", RSA.keyId(),
                "jwt.public-keys.0.pem", RSA.publicKeyPem())).get(""), "cors-test");
        routing.addFilter(Logging.correlationFilter())
                .addFilter(Security.headersFilter(config.headers()))
                .addFilter(Security.corsFilter(config.cors()))
                .addFilter(Security.authenticationFilter(config, KeySource.create(config.jwt())))
                .error(Throwable.class, Errors.errorHandler(ErrorsConfig.create(), List.of()))
                .get("/api/fail", (req, res) -> {
                    throw new IllegalStateException("boom");
                })
                .any("/api/things", (req, res) -> {
                    HANDLED.incrementAndGet();
                    res.header("ETag", "\"1\"").send("things");
                });
    }

    @BeforeEach
    void reset() {
        HANDLED.set(0);
    }

    @Test
    void preflightIsAnsweredWithoutTokenOrHandler() {
        Response res = send(client, "OPTIONS", "/api/things", "Origin", APP, "Access-Control-Request-Method", "PUT",
                            "Access-Control-Request-Headers", "authorization, content-type, if-match");
        assertThat(res.status(), is(204));
        assertThat(res.header("Access-Control-Allow-Origin").orElseThrow(), is(APP));
        assertThat(res.header("Access-Control-Allow-Methods").orElseThrow(), is("GET, HEAD, POST, PUT, PATCH, DELETE"));
        assertThat(res.header("Access-Control-Allow-Headers").orElseThrow(),
                   is("Authorization, Content-Type, Accept, If-Match, If-None-Match, X-Correlation-Id, X-Request-Id"));
        assertThat(res.header("Access-Control-Allow-Credentials").orElseThrow(), is("true"));
        assertThat(res.header("Access-Control-Max-Age").orElseThrow(), is("600"));
        assertThat(res.header("Vary").orElseThrow(), is("Origin, Access-Control-Request-Method, "
                                                                + "Access-Control-Request-Headers"));
        assertThat(res.header("WWW-Authenticate"), is(Optional.empty()));
        assertThat(HANDLED.get(), is(0));
    }

    @Test
    void preflightFromADisallowedOriginIsForbiddenWithoutCorsHeaders() {
        Response res = send(client, "OPTIONS", "/api/things", "Origin", "https://evil.example",
                            "Access-Control-Request-Method", "GET");
        assertProblem(res, 403, "FORBIDDEN");
        assertNoCorsHeaders(res);
        assertThat(HANDLED.get(), is(0));
    }

    @Test
    void preflightForADisallowedMethodOrHeaderIsForbidden() {
        assertProblem(send(client, "OPTIONS", "/api/things", "Origin", APP, "Access-Control-Request-Method", "TRACE"),
                      403, "FORBIDDEN");
        Response res = send(client, "OPTIONS", "/api/things", "Origin", APP, "Access-Control-Request-Method", "GET",
                            "Access-Control-Request-Headers", "X-Admin-Override");
        assertProblem(res, 403, "FORBIDDEN");
        assertNoCorsHeaders(res);
    }

    @Test
    void optionsWithoutPreflightHeadersIsAnOrdinaryRequest() {
        // no Access-Control-Request-Method: not a preflight, so it needs a token like any request
        assertProblem(send(client, "OPTIONS", "/api/things", "Origin", APP), 401, "MISSING_TOKEN");
    }

    @Test
    void simpleRequestFromAnAllowedOriginGetsCorsHeaders() {
        Response res = send(client, "GET", "/api/things", "Origin", APP, "Authorization", "Bearer " + RSA.valid("alice"));
        assertThat(res.status(), is(200));
        assertThat(res.header("Access-Control-Allow-Origin").orElseThrow(), is(APP));
        assertThat(res.header("Access-Control-Allow-Credentials").orElseThrow(), is("true"));
        assertThat(res.header("Access-Control-Expose-Headers").orElseThrow(), is(EXPOSED));
        assertThat(res.header("Vary").orElseThrow(), is("Origin"));
        assertThat(HANDLED.get(), is(1));
    }

    @Test
    void problemsForAnAllowedOriginAreReadable() {
        Response res = send(client, "GET", "/api/things", "Origin", APP);
        assertProblem(res, 401, "MISSING_TOKEN");
        assertThat(res.header("Access-Control-Allow-Origin").orElseThrow(), is(APP));
        assertThat(res.header("Access-Control-Expose-Headers").orElseThrow(), is(EXPOSED));
    }

    @Test
    void disallowedOriginGetsNoCorsHeaders() {
        Response res = send(client, "GET", "/api/things", "Origin", "https://app.example.com.evil.example",
                            "Authorization", "Bearer " + RSA.valid("alice"));
        assertThat(res.status(), is(200));
        assertNoCorsHeaders(res);
        assertThat(res.header("Vary").orElseThrow(), is("Origin"));
    }

    @Test
    void everyAnswerVariesByOriginWhileCorsIsOn() {
        String token = "Bearer " + RSA.valid("alice");
        // without Origin, with a disallowed one, errors from filters and from the error handler: a shared cache must not
        // serve any of them to another origin
        List<Response> answers = List.of(send(client, "GET", "/api/things", "Authorization", token),
                                         send(client, "GET", "/api/things"),
                                         send(client, "GET", "/api/fail", "Authorization", token),
                                         send(client, "GET", "/api/fail", "Authorization", token, "Origin", APP),
                                         send(client, "GET", "/api/nowhere", "Authorization", token),
                                         send(client, "GET", "/api/things", "Origin", "https://evil.example"));
        List<Integer> statuses = answers.stream().map(Response::status).toList();
        assertThat(statuses, is(List.of(200, 401, 500, 500, 404, 401)));
        for (Response res : answers) {
            assertThat(res.status() + " " + res.body(), res.header("Vary"), is(Optional.of("Origin")));
        }
    }

    @Test
    void wildcardSubdomainsMatchOnlySubdomains() {
        assertThat(allowOrigin("https://acme.tenants.example.com"), is(Optional.of("https://acme.tenants.example.com")));
        assertThat(allowOrigin("https://a.b.tenants.example.com"), is(Optional.of("https://a.b.tenants.example.com")));
        assertThat(allowOrigin("https://tenants.example.com"), is(Optional.empty()));
        assertThat(allowOrigin("https://eviltenants.example.com"), is(Optional.empty()));
        assertThat(allowOrigin("http://acme.tenants.example.com"), is(Optional.empty()));
        assertThat(allowOrigin("null"), is(Optional.empty()));
    }

    private Optional<String> allowOrigin(String origin) {
        return send(client, "OPTIONS", "/api/things", "Origin", origin, "Access-Control-Request-Method", "GET")
                .header("Access-Control-Allow-Origin");
    }

    private static void assertNoCorsHeaders(Response res) {
        for (String name : List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
                                   "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
                                   "Access-Control-Expose-Headers", "Access-Control-Max-Age")) {
            assertThat(name, res.header(name), is(Optional.empty()));
        }
    }
}
