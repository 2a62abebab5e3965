package io.dharma.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.dharma.errors.ErrorCode;
import io.dharma.testing.FakeClock;
import io.dharma.testing.Tokens;

import io.helidon.webserver.WebServer;

import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The JWKS source (Nimbus's JWKSourceBuilder chain) against a real HTTP endpoint that counts its requests, with a
 * clock moved by hand: first fetch, refresh after the TTL, refetch for an unknown kid at most twice per interval,
 * cached keys kept while the endpoint fails, and no keys at all reported as unavailable, not as a bad token.
 */
class JwksKeySourceTest {
    private static final Duration REFRESH = Duration.ofMinutes(10);
    private static final Duration MIN_REFETCH = Duration.ofSeconds(30);
    private static final Tokens K1 = Tokens.rsa("k1");
    private static final Tokens K2 = Tokens.ec("k2");
    private static final AtomicReference<String> JWKS = new AtomicReference<>();
    private static final AtomicInteger STATUS = new AtomicInteger(200);
    private static final AtomicInteger FETCHES = new AtomicInteger();
    private static final AtomicInteger DELAY_MILLIS = new AtomicInteger();
    private static WebServer server;

    private FakeClock clock;
    private TokenVerifier verifier;

    @BeforeAll
    static void startIdentityProvider() {
        server = WebServer.builder()
                .port(0)
                .host("127.0.0.1")
                .routing(r -> r.get("/jwks", (req, res) -> {
                    FETCHES.incrementAndGet();
                    Thread.sleep(DELAY_MILLIS.get());
                    res.status(STATUS.get()).header("Content-Type", "application/json").send(JWKS.get());
                }).get("/moved", (req, res) -> res.status(302).header("Location", "/jwks").send()))
                .build()
                .start();
        // warm up both ends (class loading on first use takes longer than the short timeouts some tests use)
        JWKS.set(Tokens.jwks(K1));
        KeySource.jwks(URI.create("http://127.0.0.1:" + server.port() + "/jwks")).keys();
    }

    @AfterAll
    static void stopIdentityProvider() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        JWKS.set(Tokens.jwks(K1));
        STATUS.set(200);
        FETCHES.set(0);
        DELAY_MILLIS.set(0);
        clock = new FakeClock();
        verifier = verifier(Duration.ofSeconds(2));
    }

    private TokenVerifier verifier(Duration timeout) {
        // token times come from the real clock; only the JWKS cache and rate limit run on the hand-moved one
        return new TokenVerifier(JwtConfig.create(), jwks(timeout), java.time.InstantSource.system());
    }

    private KeySource jwks(Duration timeout) {
        return KeySource.jwks(URI.create("http://127.0.0.1:" + server.port() + "/jwks"), REFRESH, MIN_REFETCH, timeout, clock);
    }

    @Test
    void fetchesOnFirstUseThenServesFromCache() {
        assertValid(K1.valid("alice"));
        assertValid(K1.valid("alice"));
        clock.advance(REFRESH.minusSeconds(1));
        assertValid(K1.valid("alice"));
        assertThat(FETCHES.get(), is(1));
    }

    @Test
    void refreshesAfterTheTtl() {
        assertValid(K1.valid("alice"));
        clock.advance(REFRESH);
        assertValid(K1.valid("alice"));
        assertThat(FETCHES.get(), is(2));
    }

    @Test
    void newKidIsFetchedAndOldKidKeepsWorkingUntilRemoved() {
        assertValid(K1.valid("alice"));
        // the issuer publishes a second key and starts signing with it
        JWKS.set(Tokens.jwks(K1, K2));
        clock.advance(MIN_REFETCH);
        assertValid(K2.valid("alice"));
        assertThat(FETCHES.get(), is(2));
        assertValid(K1.valid("alice"));
        assertThat(FETCHES.get(), is(2));
        // the old key is withdrawn: it works until the cache refreshes, then not
        JWKS.set(Tokens.jwks(K2));
        clock.advance(REFRESH.minusSeconds(1));
        assertValid(K1.valid("alice"));
        assertThat(FETCHES.get(), is(2));
        clock.advance(Duration.ofSeconds(1));
        assertInvalid(K1.valid("alice"));
        assertValid(K2.valid("alice"));
        // the refresh, then one refetch for the kid it no longer finds; the third within the interval is refused
        assertThat(FETCHES.get(), is(4));
        assertInvalid(K1.valid("alice"));
        assertThat(FETCHES.get(), is(4));
    }

    @Test
    void hammeringUnknownKidsFetchesAtMostTwicePerInterval() {
        assertValid(K1.valid("alice"));
        clock.advance(MIN_REFETCH);
        for (int i = 0; i < 50; i++) {
            assertInvalid(K1.withKeyId("unknown-" + i).valid("mallory"));
        }
        assertThat(FETCHES.get(), is(3));
        clock.advance(MIN_REFETCH.minusSeconds(1));
        assertInvalid(K1.withKeyId("unknown-late").valid("mallory"));
        assertThat(FETCHES.get(), is(3));
        clock.advance(Duration.ofSeconds(1));
        assertInvalid(K1.withKeyId("unknown-next").valid("mallory"));
        assertThat(FETCHES.get(), is(4));
    }

    @Test
    void newKidRightAfterAFetchIsFetchedAtOnceTheNextWaitsForTheInterval() {
        assertValid(K1.valid("alice"));
        JWKS.set(Tokens.jwks(K1, K2));
        assertValid(K2.valid("alice"));
        Tokens k3 = Tokens.rsa("k3");
        JWKS.set(Tokens.jwks(K1, K2, k3));
        assertInvalid(k3.valid("alice"));
        assertThat(FETCHES.get(), is(2));
        clock.advance(MIN_REFETCH);
        assertValid(k3.valid("alice"));
        assertThat(FETCHES.get(), is(3));
    }

    @Test
    void endpointDownKeepsCachedKeys() {
        assertValid(K1.valid("alice"));
        STATUS.set(503);
        clock.advance(REFRESH);
        assertValid(K1.valid("alice"));
        assertThat(FETCHES.get(), is(2));
        // no new attempt on every request while it is down: the last keys count as fetched for another TTL
        assertValid(K1.valid("alice"));
        clock.advance(MIN_REFETCH);
        assertValid(K1.valid("alice"));
        assertThat(FETCHES.get(), is(2));
        clock.advance(REFRESH);
        assertValid(K1.valid("alice"));
        assertThat(FETCHES.get(), is(3));
    }

    @Test
    void endpointDownLongerThanTheOutageToleranceMakesKeysUnavailable() {
        assertValid(K1.valid("alice"));
        STATUS.set(503);
        clock.advance(REFRESH.multipliedBy(9));
        assertValid(K1.valid("alice"));
        clock.advance(REFRESH);
        assertUnavailable(K1.valid("alice"));
        STATUS.set(200);
        clock.advance(MIN_REFETCH);
        assertValid(K1.valid("alice"));
    }

    @Test
    void slowEndpointTimesOutAndKeepsCachedKeys() {
        verifier = verifier(Duration.ofMillis(500));
        assertValid(K1.valid("alice"));
        // the late answer would withdraw k1: k1 still working proves the fetch was given up, not waited for
        JWKS.set(Tokens.jwks(K2));
        DELAY_MILLIS.set(3000);
        clock.advance(REFRESH);
        assertValid(K1.valid("alice"));
        assertThat(FETCHES.get(), is(2));
    }

    @Test
    void concurrentRequestsForAnUnknownKidFetchOnce() throws Exception {
        assertValid(K1.valid("alice"));
        JWKS.set(Tokens.jwks(K1, K2));
        DELAY_MILLIS.set(200);
        clock.advance(MIN_REFETCH);
        String token = K2.valid("alice");
        List<java.util.concurrent.Future<Verification>> results = new java.util.ArrayList<>();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                results.add(executor.submit(() -> verifier.verify(token)));
            }
        }
        for (var result : results) {
            assertThat(result.get(), instanceOf(Verification.Verified.class));
        }
        assertThat(FETCHES.get(), is(2));
    }

    @Test
    void garbageJwksKeepsCachedKeys() {
        assertValid(K1.valid("alice"));
        JWKS.set("<html>maintenance</html>");
        clock.advance(REFRESH);
        assertValid(K1.valid("alice"));
    }

    @Test
    void endpointDownWithNoKeysIsUnavailableNotInvalidAndRecovers() {
        STATUS.set(500);
        for (int i = 0; i < 20; i++) {
            assertUnavailable(K1.valid("alice"));
            assertUnavailable(K1.withKeyId("unknown-" + i).valid("mallory"));
        }
        // two attempts per interval, however many requests
        assertThat(FETCHES.get(), is(2));
        STATUS.set(200);
        clock.advance(MIN_REFETCH);
        assertValid(K1.valid("alice"));
        assertThat(FETCHES.get(), is(3));
    }

    @Test
    void otherKeySourcesStillAnswerWhileTheJwksHasNoKeys() {
        STATUS.set(500);
        Tokens pem = Tokens.ec("pem");
        KeySource keys = KeySource.all(List.of(KeySource.of(List.of(VerificationKey.of(pem.keyId(), pem.publicKey()))),
                                               jwks(Duration.ofSeconds(2))));
        TokenVerifier both = new TokenVerifier(JwtConfig.create(), keys, java.time.InstantSource.system());
        assertThat(both.verify(pem.valid("alice")), instanceOf(Verification.Verified.class));
        assertThat(both.verify(K1.valid("alice")), instanceOf(Verification.Unavailable.class));
    }

    @Test
    void redirectsAreNotFollowed() {
        KeySource keys = KeySource.jwks(URI.create("http://127.0.0.1:" + server.port() + "/moved"), REFRESH, MIN_REFETCH,
                                        Duration.ofSeconds(2), clock);
        assertThrows(KeysUnavailableException.class, keys::keys);
        assertThat(FETCHES.get(), is(0));
    }

    @Test
    void minRefetchMustBeShorterThanRefresh() {
        URI url = URI.create("http://127.0.0.1:" + server.port() + "/jwks");
        assertThat(assertThrows(SecurityConfigException.class,
                                () -> KeySource.jwks(url, MIN_REFETCH, MIN_REFETCH, Duration.ofSeconds(1), clock)).getMessage(),
                   containsString("jwks-min-refetch"));
        assertThat(assertThrows(SecurityConfigException.class,
                                () -> KeySource.jwks(URI.create("file:///etc/jwks.json"))).getMessage(),
                   containsString("http(s)"));
    }

    @Test
    void unusableKeysAreSkipped() {
        // a symmetric key, an encryption key and an RSA key pinned to another algorithm are never used
        JWKS.set("{\"keys\":["
                         + "{\"kty\":\"oct\",\"kid\":\"k1\",\"k\":\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\"},"
                         + K1.jwk().toString().replace("\"use\":\"sig\"", "\"use\":\"enc\"") + ","
                         + K1.jwk().toString().replace("\"alg\":\"RS256\"", "\"alg\":\"RS512\"") + ","
                         + K2.jwk() + "]}");
        assertInvalid(K1.valid("alice"));
        assertInvalid(Tokens.hmac("secret".repeat(6)).withKeyId("k1").valid("alice"));
        assertValid(K2.valid("alice"));
    }

    @Test
    void parsesKeysWithTheirPinnedAlgorithm() throws Exception {
        List<VerificationKey> keys = JwksKeySource.verificationKeys(JWKSet.parse(Tokens.jwks(K1, K2)));
        assertThat(keys.size(), is(2));
        assertThat(keys.get(0).algorithms(), is(java.util.Set.of("RS256")));
        assertThat(keys.get(1).algorithms(), is(java.util.Set.of("ES256")));
        assertThat(keys.get(0).keyId().orElseThrow(), is("k1"));
    }

    private void assertValid(String token) {
        assertThat(verifier.verify(token), instanceOf(Verification.Verified.class));
    }

    private void assertUnavailable(String token) {
        Verification verification = verifier.verify(token);
        assertThat(verification.toString(), verification, instanceOf(Verification.Unavailable.class));
        assertThat(((Verification.Unavailable) verification).retryAfter(), is(MIN_REFETCH));
    }

    private void assertInvalid(String token) {
        Verification verification = verifier.verify(token);
        assertThat(verification.toString(), verification, instanceOf(Verification.Rejected.class));
        assertThat(((Verification.Rejected) verification).code(), is(ErrorCode.INVALID_TOKEN));
    }
}
