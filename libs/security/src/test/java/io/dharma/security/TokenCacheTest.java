package io.dharma.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.dharma.errors.ErrorCode;
import io.dharma.testing.FakeClock;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

/**
 * The verified-token cache: a repeated token is answered from the cache, never past its expiry or the cache's max
 * age, and never after the key that verified it is gone.
 */
class TokenCacheTest {
    private static final FakeClock CLOCK = new FakeClock();
    private static final Tokens RSA = Tokens.rsa("rsa-cache").withClock(CLOCK);

    @Test
    void aRepeatedTokenIsAnsweredFromTheCache() {
        TokenVerifier verifier = verifier(Map.of(), KeySource.of(List.of(VerificationKey.of(RSA.keyId(), RSA.publicKey()))));
        String token = RSA.valid("alice");
        Principal first = principal(verifier.verify(token));
        // the very same principal object: no parse, no signature check, no new principal
        assertThat(principal(verifier.verify(token)), sameInstance(first));
        assertThat(principal(verifier.verify(RSA.valid("bob"))), not(sameInstance(first)));
    }

    @Test
    void aCachedTokenExpiresWithItsExp() {
        FakeClock clock = new FakeClock();
        Tokens rsa = RSA.withClock(clock);
        JwtConfig jwt = config(Map.of("token-cache.max-age", "PT1H"));
        TokenVerifier verifier = new TokenVerifier(jwt, KeySource.of(List.of(VerificationKey.of(rsa.keyId(), rsa.publicKey()))),
                                                   clock);
        String token = rsa.valid("alice");
        assertThat(verifier.verify(token), instanceOf(Verification.Verified.class));
        clock.advance(Tokens.DEFAULT_LIFETIME.plus(jwt.clockSkew()).plusSeconds(1));
        Verification later = verifier.verify(token);
        assertThat(later, instanceOf(Verification.Rejected.class));
        assertThat(((Verification.Rejected) later).code(), is(ErrorCode.TOKEN_EXPIRED));
    }

    @Test
    void aCachedVerificationIsReusedAtMostMaxAge() {
        FakeClock clock = new FakeClock();
        Tokens rsa = RSA.withClock(clock);
        TokenVerifier verifier = new TokenVerifier(config(Map.of("token-cache.max-age", "PT30S")),
                                                   KeySource.of(List.of(VerificationKey.of(rsa.keyId(), rsa.publicKey()))),
                                                   clock);
        String token = rsa.valid("alice");
        Principal first = principal(verifier.verify(token));
        clock.advance(Duration.ofSeconds(29));
        assertThat(principal(verifier.verify(token)), sameInstance(first));
        clock.advance(Duration.ofSeconds(2));
        // still valid, but verified again
        assertThat(principal(verifier.verify(token)), not(sameInstance(first)));
    }

    @Test
    void aRotatedSecretRevokesCachedVerifications() {
        String secret = Tokens.randomSecret();
        AtomicReference<Optional<String>> store = new AtomicReference<>(Optional.of(secret));
        TokenVerifier verifier = new TokenVerifier(JwtConfig.create(), KeySource.hmac(store::get), CLOCK);
        String token = Tokens.hmac(secret).withClock(CLOCK).valid("alice");
        assertThat(verifier.verify(token), instanceOf(Verification.Verified.class));
        store.set(Optional.of(Tokens.randomSecret()));
        assertThat(verifier.verify(token), instanceOf(Verification.Rejected.class));
        store.set(Optional.of(secret));
        assertThat(verifier.verify(token), instanceOf(Verification.Verified.class));
    }

    @Test
    void aKeyDroppedFromTheKeySetRevokesCachedVerifications() {
        Tokens next = Tokens.ec("ec-cache").withClock(CLOCK);
        VerificationKey old = VerificationKey.of(RSA.keyId(), RSA.publicKey());
        VerificationKey fresh = VerificationKey.of(next.keyId(), next.publicKey());
        AtomicReference<List<VerificationKey>> keys = new AtomicReference<>(List.of(old, fresh));
        TokenVerifier verifier = new TokenVerifier(config(Map.of()), keys::get, CLOCK);
        String token = RSA.valid("alice");
        assertThat(verifier.verify(token), instanceOf(Verification.Verified.class));
        // a refetched key set holds equal, not identical, keys: the cache still applies
        keys.set(List.of(VerificationKey.of(RSA.keyId(), RSA.publicKey()), fresh));
        assertThat(verifier.verify(token), instanceOf(Verification.Verified.class));
        keys.set(List.of(fresh));
        assertThat(verifier.verify(token), instanceOf(Verification.Rejected.class));
    }

    @Test
    void aRepeatedRefusedTokenIsRefusedFromTheCache() {
        TokenVerifier verifier = verifier(Map.of(), KeySource.of(List.of(VerificationKey.of(RSA.keyId(), RSA.publicKey()))));
        for (String token : List.of(RSA.wrongKey("mallory"), RSA.expired("alice"), "not.a.token")) {
            Verification first = verifier.verify(token);
            assertThat(token, first, instanceOf(Verification.Rejected.class));
            // the very same verdict: no parse, no signature check
            assertThat(token, verifier.verify(token), sameInstance(first));
        }
    }

    @Test
    void aRefusedTokenPassesOnceItsKeyIsTrusted() {
        Tokens next = Tokens.ec("ec-refused").withClock(CLOCK);
        VerificationKey fresh = VerificationKey.of(next.keyId(), next.publicKey());
        AtomicReference<List<VerificationKey>> keys = new AtomicReference<>(List.of(VerificationKey.of(RSA.keyId(),
                                                                                                       RSA.publicKey())));
        TokenVerifier verifier = new TokenVerifier(config(Map.of()), keys::get, CLOCK);
        String token = next.valid("alice");
        assertThat(verifier.verify(token), instanceOf(Verification.Rejected.class));
        assertThat(verifier.verify(token), instanceOf(Verification.Rejected.class));
        keys.set(List.of(VerificationKey.of(RSA.keyId(), RSA.publicKey()), fresh));
        assertThat(verifier.verify(token), instanceOf(Verification.Verified.class));

        String secret = Tokens.randomSecret();
        AtomicReference<Optional<String>> store = new AtomicReference<>(Optional.of(Tokens.randomSecret()));
        TokenVerifier hmac = new TokenVerifier(JwtConfig.create(), KeySource.hmac(store::get), CLOCK);
        String signed = Tokens.hmac(secret).withClock(CLOCK).valid("alice");
        assertThat(hmac.verify(signed), instanceOf(Verification.Rejected.class));
        store.set(Optional.of(secret));
        assertThat(hmac.verify(signed), instanceOf(Verification.Verified.class));
    }

    @Test
    void aTokenNotValidYetIsCheckedAgain() {
        FakeClock clock = new FakeClock();
        Tokens rsa = RSA.withClock(clock);
        TokenVerifier verifier = new TokenVerifier(config(Map.of()),
                                                   KeySource.of(List.of(VerificationKey.of(rsa.keyId(), rsa.publicKey()))),
                                                   clock);
        String token = rsa.notYetValid("alice", Duration.ofMinutes(2));
        assertThat(verifier.verify(token), instanceOf(Verification.Rejected.class));
        clock.advance(Duration.ofMinutes(3));
        assertThat(verifier.verify(token), instanceOf(Verification.Verified.class));
    }

    @Test
    void maxSizeZeroTurnsTheCacheOff() {
        TokenVerifier verifier = verifier(Map.of("token-cache.max-size", "0"),
                                          KeySource.of(List.of(VerificationKey.of(RSA.keyId(), RSA.publicKey()))));
        String token = RSA.valid("alice");
        assertThat(principal(verifier.verify(token)), not(sameInstance(principal(verifier.verify(token)))));
    }

    @Test
    void theCacheIsBounded() {
        TokenCache cache = new TokenCache(3, Duration.ofMinutes(1));
        VerificationKey key = VerificationKey.of(RSA.keyId(), RSA.publicKey());
        for (int i = 0; i < 100; i++) {
            cache.put("token-" + i, new Principal("u" + i, java.util.Set.of(), Tier.FREE), key, null, CLOCK.instant(),
                      CLOCK.instant().plusSeconds(60));
        }
        cache.cleanUp();
        assertThat(cache.size() <= 3, is(true));
    }

    private static TokenVerifier verifier(Map<String, String> extra, KeySource keys) {
        return new TokenVerifier(config(extra), keys, CLOCK);
    }

    private static JwtConfig config(Map<String, String> extra) {
        return JwtConfig.create(Fixtures.config(extra).get(""));
    }

    private static Principal principal(Verification verification) {
        assertThat(verification.toString(), verification, instanceOf(Verification.Verified.class));
        return ((Verification.Verified) verification).principal();
    }
}
