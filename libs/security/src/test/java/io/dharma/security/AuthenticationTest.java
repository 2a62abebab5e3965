package io.dharma.security;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.Json;

import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.logging.Logging;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static io.dharma.security.Fixtures.describe;
import static io.dharma.security.Fixtures.get;
import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The authentication filter on a real server, behind the correlation filter and in front of the problem error handler,
 * with an RSA and an EC key from PEM config and an HMAC secret from a supplier.
 */
@ServerTest
class AuthenticationTest {
    static final Tokens RSA = Tokens.rsa("rsa-1");
    static final Tokens EC = Tokens.ec("ec-1");
    static final AtomicReference<String> SECRET = new AtomicReference<>(Tokens.randomSecret());
    static final String MISSING = "Bearer realm=\"test-service\"";
    static final String INVALID = "Bearer realm=\"test-service\", error=\"invalid_token\", "
            + "error_description=\"The access token is invalid\"";
    static final String EXPIRED = "Bearer realm=\"test-service\", error=\"invalid_token\", "
            + "error_description=\"The access token expired\"";
    static final String FORBIDDEN = "Bearer realm=\"test-service\", error=\"insufficient_scope\", "
            + "error_description=\"The access token does not grant access to this resource\"";

    private final HttpTestClient client;
    private final int port;

    AuthenticationTest(URI uri) {
        this.port = uri.getPort();
        this.client = HttpTestClient.create(port);
    }

    static SecurityConfig config() {
        return SecurityConfig.create(Fixtures.config(Map.ofEntries(
                Map.entry("public.0", "/health"),
                Map.entry("public.1", "/public"),
                Map.entry("routes.0.path", "/api/admin"),
                Map.entry("routes.0.roles.0", "admin"),
                Map.entry("routes.0.roles.1", "root"),
                Map.entry("routes.1.path", "/api/items"),
                Map.entry("routes.1.methods.0", "GET"),
                Map.entry("routes.1.authenticate", "false"),
                Map.entry("routes.2.path", "/api/items"),
                Map.entry("jwt.issuer", Tokens.ISSUER),
                Map.entry("jwt.audience", Tokens.AUDIENCE),
                // the HMAC rotation test below needs the secret next to the public keys
                Map.entry("jwt.allow-hmac-with-public-keys", "true"),
                Map.entry("jwt.public-keys.0.kid", RSA.keyId()),
                Map.entry("jwt.public-keys.0.pem", RSA.publicKeyPem()),
                Map.entry("jwt.public-keys.1.kid", EC.keyId()),
                Map.entry("jwt.public-keys.1.pem", EC.publicKeyPem())))
                                     .get(""), "test-service");
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        SecurityConfig config = config();
        KeySource keys = KeySource.create(config.jwt(), () -> Optional.ofNullable(SECRET.get()));
        routing.addFilter(Logging.correlationFilter())
                .addFilter(Security.authenticationFilter(config, keys))
                .error(Throwable.class, Errors.errorHandler(ErrorsConfig.create(), List.of()))
                .get("/health", (req, res) -> res.send("up"))
                .get("/public/info", (req, res) -> res.send("info"))
                .get("/api/items", Fixtures::describe)
                .post("/api/items", (req, res) -> {
                    res.status(201);
                    describe(req, res);
                })
                .get("/api/admin", Fixtures::describe)
                .get("/api/admin/{id}", Fixtures::describe)
                .get("/api/other", Fixtures::describe);
    }

    @Test
    void noTokenIsMissingToken() {
        Response res = client.get("/api/other");
        assertProblem(res, 401, "MISSING_TOKEN");
        assertThat(res.header("WWW-Authenticate").orElseThrow(), is(MISSING));
        assertThat(res.header("Cache-Control").orElseThrow(), is("no-store"));
    }

    @Test
    void anotherSchemeIsMissingToken() {
        Response res = client.send(client.request("/api/other").header("Authorization", "Basic dXNlcjpwYXNz").build());
        assertProblem(res, 401, "MISSING_TOKEN");
        assertThat(res.header("WWW-Authenticate").orElseThrow(), is(MISSING));
    }

    @Test
    void unknownPathNeedsATokenByDefault() {
        Response res = client.get("/nowhere");
        assertProblem(res, 401, "MISSING_TOKEN");
    }

    @Test
    void bearerWithoutTokenIsInvalid() {
        Response res = client.send(client.request("/api/other").header("Authorization", "Bearer").build());
        assertInvalid(res);
        assertInvalid(client.send(client.request("/api/other").header("Authorization", "Bearer a b").build()));
    }

    @Test
    void garbageIsInvalid() {
        for (String garbage : Tokens.garbage()) {
            assertInvalid(get(client, "/api/other", garbage));
        }
    }

    @Test
    void badSignatureIsInvalid() {
        assertInvalid(get(client, "/api/other", RSA.wrongKey("alice")));
        assertInvalid(get(client, "/api/other", EC.wrongKey("alice")));
        assertInvalid(get(client, "/api/other", Tokens.hmac(SECRET.get()).wrongKey("alice")));
    }

    @Test
    void tamperedClaimsAreInvalid() {
        String[] parts = RSA.valid("alice", List.of("user"), "free").split("\\.");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                Json.createObjectBuilder().add("iss", Tokens.ISSUER).add("aud", Tokens.AUDIENCE).add("sub", "alice")
                        .add("exp", 4_000_000_000L).add("roles", Json.createArrayBuilder().add("admin")).build().toString()
                        .getBytes(StandardCharsets.UTF_8));
        assertInvalid(get(client, "/api/admin", parts[0] + "." + forged + "." + parts[2]));
    }

    @Test
    void algNoneIsInvalid() {
        assertInvalid(get(client, "/api/admin", RSA.algNone("alice", List.of("admin"))));
    }

    @Test
    void keyConfusionIsInvalid() {
        // HS256 "signed" with the RSA / EC public key as the HMAC secret, in PEM and DER form
        assertInvalid(get(client, "/api/admin", RSA.keyConfusion("mallory", List.of("admin"))));
        assertInvalid(get(client, "/api/admin", RSA.keyConfusion("mallory", List.of("admin"),
                                                                  RSA.publicKey().getEncoded())));
        assertInvalid(get(client, "/api/admin", EC.keyConfusion("mallory", List.of("admin"))));
    }

    @Test
    void wrongIssuerOrAudienceIsInvalid() {
        assertInvalid(get(client, "/api/other", RSA.wrongIssuer("alice")));
        assertInvalid(get(client, "/api/other", RSA.wrongAudience("alice")));
    }

    @Test
    void notYetValidIsInvalid() {
        assertInvalid(get(client, "/api/other", RSA.notYetValid("alice")));
    }

    @Test
    void expiredIsTokenExpired() {
        Response res = get(client, "/api/other", RSA.expired("alice"));
        assertProblem(res, 401, "TOKEN_EXPIRED");
        assertThat(res.header("WWW-Authenticate").orElseThrow(), is(EXPIRED));
        assertThat(res.json().getString("detail"), containsString("expired"));
    }

    @Test
    void expiredAndForgedIsInvalidNotExpired() {
        // the signature is checked before any claim
        assertInvalid(get(client, "/api/other", Tokens.rsa("rsa-1").expired("alice")));
    }

    @Test
    void clockSkewOf30SecondsIsHonoured() {
        assertThat(get(client, "/api/other", RSA.expired("alice", Duration.ofSeconds(10))).status(), is(200));
        assertProblem(get(client, "/api/other", RSA.expired("alice", Duration.ofSeconds(60))), 401, "TOKEN_EXPIRED");
        assertThat(get(client, "/api/other", RSA.notYetValid("alice", Duration.ofSeconds(10))).status(), is(200));
        assertInvalid(get(client, "/api/other", RSA.notYetValid("alice", Duration.ofSeconds(60))));
    }

    @Test
    void lackingARoleIsForbidden() {
        Response res = get(client, "/api/admin", RSA.valid("alice", List.of("user"), "free"));
        assertProblem(res, 403, "FORBIDDEN");
        assertThat(res.header("WWW-Authenticate").orElseThrow(), is(FORBIDDEN));
        assertThat(res.header("Cache-Control").orElseThrow(), is("no-store"));
    }

    @Test
    void anyListedRoleIsEnough() {
        assertThat(get(client, "/api/admin", RSA.valid("alice", List.of("root"), "free")).body(),
                   is("alice|[root]|FREE|alice"));
        assertThat(get(client, "/api/admin", EC.valid("bob", List.of("admin"), "basic")).body(),
                   is("bob|[admin]|BASIC|bob"));
    }

    @Test
    void ruleCoversPathsBelowIt() {
        assertProblem(client.get("/api/admin/7"), 401, "MISSING_TOKEN");
        assertProblem(get(client, "/api/admin/7", RSA.valid("alice", List.of("user"), "free")), 403, "FORBIDDEN");
        assertThat(get(client, "/api/admin/7", RSA.valid("alice", List.of("admin"), "free")).status(), is(200));
    }

    @Test
    void pathTricksDoNotBypassRules() throws IOException {
        for (String path : List.of("/api//admin", "/api/./admin", "/api/x/../admin", "/api/admin/", "/api/%61dmin")) {
            String raw = Fixtures.raw(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(path + ": " + raw, raw, startsWith("HTTP/1.1 401"));
        }
    }

    @Test
    void principalCarriesRolesAndTier() {
        assertThat(get(client, "/api/other", RSA.valid("alice", List.of("user", "editor"), "professional")).body(),
                   is("alice|[editor, user]|PROFESSIONAL|alice"));
        assertThat(get(client, "/api/other", RSA.token("carol", c -> c.add("roles", "reader writer")
                .add("scope", "blueprints:read").add("subscription", "Enterprise"))).body(),
                   is("carol|[reader, writer]|ENTERPRISE|carol"));
        assertThat(get(client, "/api/other", RSA.token("dave", c -> c.add("tier", "platinum")
                .add("subscription", "enterprise"))).body(), is("dave|[]|FREE|dave"));
        assertThat(get(client, "/api/other", RSA.valid("erin")).body(), is("erin|[]|FREE|erin"));
        assertThat(get(client, "/api/other", RSA.token("frank", c -> c.add("tier", 3))).body(), is("frank|[]|FREE|frank"));
    }

    @Test
    void subjectIsRequired() {
        assertInvalid(get(client, "/api/other", RSA.token("x", c -> c.add("sub", ""))));
        assertInvalid(get(client, "/api/other", RSA.token("x", c -> c.remove("sub"))));
    }

    @Test
    void expiryIsRequired() {
        assertInvalid(get(client, "/api/other", RSA.token("alice", c -> c.remove("exp"))));
        // a present but null exp must not count as "never expires"
        assertInvalid(get(client, "/api/other", RSA.token("alice", c -> c.addNull("exp"))));
    }

    @Test
    void subjectDoesNotLeakIntoTheNextRequestOnTheConnection() {
        assertThat(get(client, "/api/items", RSA.valid("alice")).body(), is("alice|[]|FREE|alice"));
        // the JDK client reuses the keep-alive connection, so this runs on the same virtual thread
        assertThat(client.get("/api/items").body(), is("anonymous|-"));
    }

    @Test
    void optionalRouteWorksWithoutToken() {
        assertThat(client.get("/api/items").body(), is("anonymous|-"));
        assertThat(get(client, "/api/items", EC.valid("bob")).body(), is("bob|[]|FREE|bob"));
    }

    @Test
    void optionalRouteStillRefusesABadToken() {
        assertInvalid(get(client, "/api/items", "garbage"));
        assertProblem(get(client, "/api/items", RSA.expired("bob")), 401, "TOKEN_EXPIRED");
    }

    @Test
    void otherMethodsOfTheOptionalRouteNeedAToken() {
        assertProblem(Fixtures.send(client, "POST", "/api/items"), 401, "MISSING_TOKEN");
        HttpTestClient.Response created = client.send(client.request("/api/items")
                                                              .header("Authorization", "Bearer " + RSA.valid("bob"))
                                                              .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                                                              .build());
        assertThat(created.status(), is(201));
    }

    @Test
    void publicPathsIgnoreTokens() {
        assertThat(get(client, "/health", "garbage").status(), is(200));
        assertThat(client.get("/public/info").status(), is(200));
    }

    @Test
    void hmacSecretRotatesWithoutRestart() {
        String before = SECRET.get();
        Tokens old = Tokens.hmac(before);
        assertThat(get(client, "/api/other", old.valid("alice")).status(), is(200));
        String rotated = Tokens.randomSecret();
        SECRET.set(rotated);
        try {
            assertInvalid(get(client, "/api/other", old.valid("alice")));
            assertThat(get(client, "/api/other", Tokens.hmac(rotated).valid("alice")).status(), is(200));
        } finally {
            SECRET.set(before);
        }
    }

    @Test
    void twoAuthorizationHeadersAreInvalid() {
        Response res = client.send(client.request("/api/other")
                                           .header("Authorization", "Bearer " + RSA.valid("alice"))
                                           .header("Authorization", "Bearer " + RSA.valid("mallory"))
                                           .build());
        assertInvalid(res);
    }

    @Test
    void unknownKeyIdIsInvalid() {
        assertInvalid(get(client, "/api/other", RSA.withKeyId("other").valid("alice")));
    }

    static void assertInvalid(Response res) {
        assertProblem(res, 401, "INVALID_TOKEN");
        assertThat(res.header("WWW-Authenticate").orElseThrow(), is(INVALID));
        assertThat(res.json().getString("detail"), is("The bearer token is not valid"));
    }

}
