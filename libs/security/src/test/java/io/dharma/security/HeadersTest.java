package io.dharma.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.errors.Problems;
import io.dharma.logging.Logging;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The full security header set on every kind of response, wired as a Dharma service wires it: answered by a handler,
 * by a filter (401, 403, 429), by the error handler after an exception (400, 404, 405, 429, 500) and by the direct
 * handler (malformed request; 413 for a body over {@code max-payload-size}, which Helidon answers before routing for a
 * Content-Length body and while reading for a chunked one).
 */
@ServerTest
class HeadersTest {
    static final Map<String, String> EXPECTED = Map.of(
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'",
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Permissions-Policy", HeadersConfig.DEFAULT_PERMISSIONS_POLICY,
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cross-Origin-Resource-Policy", "same-origin");
    static final String ORIGIN = "https://app.example.com";
    private static final Tokens RSA = Tokens.rsa("rsa-h");
    private static final ErrorsConfig ERRORS = new ErrorsConfig(ErrorsConfig.DEFAULT_TYPE_BASE, 1000, List.of("/api/"));

    private final HttpTestClient client;
    private final int port;

    HeadersTest(URI uri) {
        this.port = uri.getPort();
        this.client = HttpTestClient.create(port);
    }

    static SecurityConfig config() {
        return SecurityConfig.create(Fixtures.config(Map.of(
                "default-authenticate", "false",
                "routes.0.path", "/api/secure",
                "routes.0.roles.0", "admin",
                "jwt.issuer", Tokens.ISSUER,
                "jwt.audience", Tokens.AUDIENCE,
                "jwt.public-keys.0.kid", RSA.keyId(),
                "jwt.public-keys.0.pem", RSA.publicKeyPem(),
                "headers.csp-overrides.0.path", "/docs",
                "headers.csp-overrides.0.policy", "default-src 'self'; frame-ancestors 'none'",
                "cors.allowed-origins.0", ORIGIN)).get(""), "headers-test");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        DirectHandler handler = Security.directHandler(Errors.directHandler(), config().headers());
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, handler);
        }
        server.directHandlers(handlers.build()).maxPayloadSize(ERRORS.maxBodySize());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        SecurityConfig config = config();
        routing.addFilter(Logging.correlationFilter())
                .addFilter(Security.headersFilter(config.headers()))
                .addFilter(Security.corsFilter(config.cors()))
                // stands in for the rate-limit filter: answers 429 itself
                .addFilter((chain, req, res) -> {
                    if (req.headers().contains(HeaderNames.create("X-Simulate-Limit"))) {
                        Problems.send(req, res, ApiException.withHeader(ErrorCode.RATE_LIMIT_EXCEEDED, "Slow down",
                                                                        "Retry-After", "3"));
                        return;
                    }
                    chain.proceed();
                })
                .addFilter(Security.authenticationFilter(config, KeySource.create(config.jwt())))
                .addFilter(Errors.bodyFilter(ERRORS))
                .error(Throwable.class, Errors.errorHandler(ERRORS, List.of()))
                .get("/ok", (req, res) -> res.send("ok"))
                .post("/api/things", (req, res) -> res.status(Status.CREATED_201).header("Location", "/api/things/1")
                        .send(req.content().as(String.class)))
                .get("/etag", (req, res) -> {
                    if (req.headers().first(HeaderNames.IF_NONE_MATCH).orElse("").equals("\"v1\"")) {
                        res.status(Status.NOT_MODIFIED_304).header("ETag", "\"v1\"").send();
                    } else {
                        res.header("ETag", "\"v1\"").send("v1");
                    }
                })
                .get("/bad", (req, res) -> {
                    throw ApiException.validation("name", "is required");
                })
                .get("/api/secure", (req, res) -> res.send("secret"))
                .get("/gone", (req, res) -> {
                    throw ApiException.notFound("No such thing");
                })
                .get("/method", (req, res) -> {
                    throw ApiException.withHeader(ErrorCode.METHOD_NOT_ALLOWED, "Use POST", "Allow", "POST");
                })
                .post("/api/upload", (req, res) -> res.send(req.content().as(String.class)))
                .get("/boom", (req, res) -> {
                    throw new IllegalStateException("kaboom");
                })
                .get("/throttled", (req, res) -> {
                    throw ApiException.withHeader(ErrorCode.RATE_LIMIT_EXCEEDED, "Slow down", "Retry-After", "1");
                })
                .get("/cached", (req, res) -> res.header("Cache-Control", "public, max-age=60").send("cacheable"))
                .get("/cached-then-fails", (req, res) -> {
                    res.header("Cache-Control", "public, max-age=60");
                    throw new IllegalStateException("after setting a header");
                })
                .get("/docs/index.html", (req, res) -> res.header("Content-Type", "text/html").send("<html></html>"));
    }

    @Test
    void ok200() {
        Response res = client.get("/ok");
        assertThat(res.status(), is(200));
        assertSecurityHeaders(res);
        assertThat(res.header("Cache-Control").orElseThrow(), is("no-store"));
    }

    @Test
    void created201() {
        Response res = client.send(client.request("/api/things").header("Content-Type", "application/json")
                                           .header("Authorization", "Bearer " + RSA.valid("alice"))
                                           .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(res.status(), is(201));
        assertSecurityHeaders(res);
        assertThat(res.header("Cache-Control").orElseThrow(), is("no-store"));
    }

    @Test
    void notModified304() {
        Response res = client.send(client.request("/etag").header("If-None-Match", "\"v1\"").build());
        assertThat(res.status(), is(304));
        assertSecurityHeaders(res);
    }

    @Test
    void badRequest400FromTheErrorHandler() {
        Response res = client.get("/bad");
        assertProblem(res, 400, "VALIDATION_FAILED");
        assertErrorHeaders(res);
    }

    @Test
    void unauthorized401FromTheFilter() {
        Response res = client.get("/api/secure");
        assertProblem(res, 401, "MISSING_TOKEN");
        assertErrorHeaders(res);
    }

    @Test
    void forbidden403FromTheFilter() {
        Response res = Fixtures.get(client, "/api/secure", RSA.valid("alice", List.of("user"), "free"));
        assertProblem(res, 403, "FORBIDDEN");
        assertErrorHeaders(res);
    }

    @Test
    void notFound404FromAHandler() {
        Response res = client.get("/gone");
        assertProblem(res, 404, "NOT_FOUND");
        assertErrorHeaders(res);
    }

    @Test
    void notFound404ForAnUnknownRoute() {
        Response res = client.get("/no/such/route");
        assertProblem(res, 404, "NOT_FOUND");
        assertErrorHeaders(res);
    }

    @Test
    void methodNotAllowed405() {
        Response res = client.get("/method");
        assertProblem(res, 405, "METHOD_NOT_ALLOWED");
        assertThat(res.header("Allow").orElseThrow(), is("POST"));
        assertErrorHeaders(res);
    }

    @Test
    void payloadTooLarge413WithContentLength() {
        Response res = client.send(client.request("/api/upload").header("Content-Type", "application/json")
                                           .POST(HttpRequest.BodyPublishers.ofString("\"" + "x".repeat(2000) + "\""))
                                           .build());
        assertProblem(res, 413, "PAYLOAD_TOO_LARGE");
        assertErrorHeaders(res);
    }

    @Test
    void payloadTooLarge413Chunked() {
        byte[] big = ("\"" + "x".repeat(5000) + "\"").getBytes(StandardCharsets.UTF_8);
        Response res = client.send(client.request("/api/upload").header("Content-Type", "application/json")
                                           .POST(HttpRequest.BodyPublishers.ofInputStream(
                                                   () -> new java.io.ByteArrayInputStream(big)))
                                           .build());
        assertThat(res.body(), res.status(), is(413));
        assertErrorHeaders(res);
    }

    @Test
    void tooManyRequests429FromAFilter() {
        Response res = client.send(client.request("/ok").header("X-Simulate-Limit", "1").build());
        assertProblem(res, 429, "RATE_LIMIT_EXCEEDED");
        assertErrorHeaders(res);
    }

    @Test
    void tooManyRequests429FromTheErrorHandler() {
        Response res = client.get("/throttled");
        assertProblem(res, 429, "RATE_LIMIT_EXCEEDED");
        assertThat(res.header("Retry-After").orElseThrow(), is("1"));
        assertErrorHeaders(res);
    }

    @Test
    void internalError500() {
        Response res = client.get("/boom");
        assertProblem(res, 500, "INTERNAL_ERROR");
        assertErrorHeaders(res);
    }

    @Test
    void malformedRequestFromTheDirectHandler() throws IOException {
        String raw = Fixtures.raw(port, "GET /ok HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n");
        assertThat(raw, startsWith("HTTP/1.1 400"));
        String head = raw.substring(0, raw.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
        EXPECTED.forEach((name, value) -> assertThat(head, containsString(
                (name + ": " + value).toLowerCase(Locale.ROOT))));
        assertThat(head, containsString("cache-control: no-store"));
        assertThat(head, not(containsString("server:")));
    }

    @Test
    void handlerCachingWins() {
        Response res = client.get("/cached");
        assertThat(res.header("Cache-Control").orElseThrow(), is("public, max-age=60"));
        assertSecurityHeaders(res);
    }

    @Test
    void errorAfterTheHandlerSetCachingIsNotCacheable() {
        Response res = client.get("/cached-then-fails");
        assertProblem(res, 500, "INTERNAL_ERROR");
        assertErrorHeaders(res);
    }

    @Test
    void htmlRouteGetsItsOwnPolicy() {
        Response res = client.get("/docs/index.html");
        assertThat(res.header("Content-Security-Policy").orElseThrow(), is("default-src 'self'; frame-ancestors 'none'"));
        assertThat(res.header("X-Frame-Options").orElseThrow(), is("DENY"));
    }

    @Test
    void corsHeadersSurviveErrors() {
        Response res = client.send(client.request("/boom").header("Origin", ORIGIN).build());
        assertThat(res.status(), is(500));
        assertThat(res.header("Access-Control-Allow-Origin").orElseThrow(), is(ORIGIN));
        assertThat(res.header("Access-Control-Expose-Headers").orElseThrow(), containsString("X-Correlation-Id"));
        assertThat(res.header("Vary").orElseThrow(), is("Origin"));
        assertErrorHeaders(res);
    }

    @Test
    void preflight204CarriesTheHeaders() {
        Response res = Fixtures.send(client, "OPTIONS", "/api/secure", "Origin", ORIGIN,
                                     "Access-Control-Request-Method", "GET");
        assertThat(res.status(), is(204));
        assertSecurityHeaders(res);
    }

    static void assertErrorHeaders(Response res) {
        assertSecurityHeaders(res);
        assertThat(res.header("Cache-Control").orElse("(none)"), is("no-store"));
    }

    static void assertSecurityHeaders(Response res) {
        EXPECTED.forEach((name, value) -> assertThat(name + " on " + res.status(), res.header(name),
                                                     is(Optional.of(value))));
        assertThat(res.header("Server"), is(Optional.empty()));
        assertThat(res.header("X-Powered-By"), is(Optional.empty()));
    }
}
