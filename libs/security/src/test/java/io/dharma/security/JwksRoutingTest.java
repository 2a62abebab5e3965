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
 * {@code security.jwt.jwks-url}; the issuer rotates its key.
 */
@ServerTest
class JwksRoutingTest {
    private static final Tokens OLD = Tokens.rsa("2030-01");
    private static final Tokens NEW = Tokens.ec("2030-02");
    private static final AtomicReference<String> JWKS = new AtomicReference<>(Tokens.jwks(OLD));
    private static final AtomicInteger FETCHES = new AtomicInteger();
    // the URL needs the port, known only once the server runs: the filter asks this source, set by the constructor
    private static final KeySource NONE = KeySource.of(List.of());
    private static final AtomicReference<KeySource> KEYS = new AtomicReference<>(NONE);

    private final HttpTestClient client;

    JwksRoutingTest(URI uri) {
        this.client = HttpTestClient.create(uri.getPort());
        SecurityConfig config = config(Map.of("jwt.jwks-url", "http://127.0.0.1:" + uri.getPort() + "/.well-known/jwks.json",
                                              "jwt.jwks-min-refetch", "PT0S"));
        KEYS.compareAndSet(NONE, KeySource.create(config.jwt()));
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
}
