package io.dharma.security;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.logging.Logging;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.Tokens;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static io.dharma.security.Fixtures.get;
import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * End to end: the service fetches its keys from a JWKS served by a public route of the same server, configured with
 * {@code security.jwt.jwks-url}; the issuer rotates its key, a client sprays unknown key ids, the endpoint is down.
 */
@ServerTest
class JwksRoutingTest {
    private static final Tokens OLD = Tokens.rsa("2030-01");
    private static final Tokens NEW = Tokens.ec("2030-02");
    private static final AtomicReference<String> JWKS = new AtomicReference<>(Tokens.jwks(OLD));
    private static final AtomicInteger FETCHES = new AtomicInteger();
    private static final AtomicInteger DOWN_FETCHES = new AtomicInteger();
    // the URL needs the port, known only once the server runs: the filter asks this source, set by the constructor
    private static final KeySource NONE = KeySource.of(List.of());
    private static final AtomicReference<KeySource> KEYS = new AtomicReference<>(NONE);

    private final HttpTestClient client;
    private final String base;

    JwksRoutingTest(URI uri) {
        this.client = HttpTestClient.create(uri.getPort());
        this.base = "http://127.0.0.1:" + uri.getPort();
        KEYS.compareAndSet(NONE, jwks(Map.of("jwt.jwks-url", base + "/.well-known/jwks.json", "jwt.jwks-min-refetch", "PT0S")));
    }

    private static KeySource jwks(Map<String, String> config) {
        return KeySource.create(config(config).jwt());
    }

    private static SecurityConfig config(Map<String, String> extra) {
        Map<String, String> values = new java.util.HashMap<>(Map.of("public.0", "/.well-known",
                                                                    "jwt.issuer", Tokens.ISSUER,
                                                                    "jwt.audience", Tokens.AUDIENCE));
        values.putAll(extra);
        return SecurityConfig.create(Fixtures.config(values), "jwks-test");
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        KeySource lazy = new KeySource() {
            @Override
            public List<VerificationKey> keys() {
                return KEYS.get().keys();
            }

            @Override
            public List<VerificationKey> keys(String keyId) {
                return KEYS.get().keys(keyId);
            }
        };
        routing.addFilter(Logging.correlationFilter())
                .addFilter(Security.authenticationFilter(config(Map.of()), lazy))
                .error(Throwable.class, Errors.errorHandler(ErrorsConfig.create(), List.of()))
                .get("/.well-known/jwks.json", (req, res) -> {
                    FETCHES.incrementAndGet();
                    res.header("Content-Type", "application/jwk-set+json").send(JWKS.get());
                })
                .get("/.well-known/down/jwks.json", (req, res) -> {
                    DOWN_FETCHES.incrementAndGet();
                    res.status(503).send();
                })
                .get("/api/me", Fixtures::describe);
    }

    @Test
    void rotationByKid() throws InterruptedException {
        assertThat(get(client, "/api/me", OLD.valid("alice")).body(), is("alice|[]|FREE|alice"));
        int fetched = FETCHES.get();
        assertProblem(get(client, "/api/me", NEW.valid("alice")), 401, "INVALID_TOKEN");
        assertThat(FETCHES.get(), is(fetched + 1));

        JWKS.set(Tokens.jwks(OLD, NEW));
        assertThat(get(client, "/api/me", NEW.valid("alice")).body(), is("alice|[]|FREE|alice"));
        assertThat(FETCHES.get(), is(fetched + 2));
        assertThat(get(client, "/api/me", OLD.valid("bob")).body(), is("bob|[]|FREE|bob"));
        assertThat(FETCHES.get(), is(fetched + 2));
        assertProblem(get(client, "/api/me", OLD.wrongKey("mallory")), 401, "INVALID_TOKEN");
    }

    @Test
    void unknownKidsDoNotHammerTheIdentityProvider() {
        // default jwks-min-refetch: at most two fetches per 30 s
        KeySource previous = KEYS.getAndSet(jwks(Map.of("jwt.jwks-url", base + "/.well-known/jwks.json")));
        try {
            int before = FETCHES.get();
            for (int i = 0; i < 30; i++) {
                assertProblem(get(client, "/api/me", OLD.withKeyId("spray-" + i).valid("mallory")), 401, "INVALID_TOKEN");
            }
            assertThat(FETCHES.get() - before, is(2));
            assertThat(get(client, "/api/me", OLD.valid("alice")).body(), is("alice|[]|FREE|alice"));
            assertThat(FETCHES.get() - before, is(2));
        } finally {
            KEYS.set(previous);
        }
    }

    @Test
    void identityProviderDownBeforeAnyKeyIsKnownIs503WithRetryAfter() {
        KeySource previous = KEYS.getAndSet(jwks(Map.of("jwt.jwks-url", base + "/.well-known/down/jwks.json")));
        try {
            for (int i = 0; i < 10; i++) {
                HttpTestClient.Response res = get(client, "/api/me", OLD.valid("alice"));
                assertProblem(res, 503, "SERVICE_UNAVAILABLE");
                assertThat(res.header("Retry-After").orElseThrow(), is("30"));
                assertThat(res.header("WWW-Authenticate").isPresent(), is(false));
            }
            assertThat(DOWN_FETCHES.get(), is(2));
            // without a token there is nothing to verify: still 401
            assertProblem(client.get("/api/me"), 401, "MISSING_TOKEN");
        } finally {
            KEYS.set(previous);
        }
    }
}
