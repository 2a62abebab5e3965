package io.dharma.security;

import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.Json;

import io.dharma.testing.Tokens;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Secure-by-default token checks: no unchecked issuer or audience next to public keys or a JWKS
 * unless opted out by name, roles from one claim, identity qualified by the issuer when several are trusted, HMAC not
 * next to public keys unless opted in, and a secret removed from the store stops verifying.
 */
class SecureByDefaultTokenChecksTest {
    private static final Tokens RSA = Tokens.rsa("rsa-12");
    private static final Map<String, String> PUBLIC_KEY = Map.of("public-keys.0.kid", RSA.keyId(),
                                                                 "public-keys.0.pem", RSA.publicKeyPem());
    private static final Map<String, String> JWKS = Map.of("jwks-url", "https://login.example.com/jwks.json");

    @Test
    void publicKeysOrJwksWithoutIssuerOrAudienceRefuseToStart() {
        for (Map<String, String> keys : List.of(PUBLIC_KEY, JWKS)) {
            assertRefused(keys, "security.jwt.issuer is required", "allow-any-issuer");
            assertRefused(with(keys, "audience", Tokens.AUDIENCE), "security.jwt.issuer is required", "allow-any-issuer");
            assertRefused(with(keys, "issuer", Tokens.ISSUER), "security.jwt.audience is required", "allow-any-audience");
            JwtConfig checked = jwt(with(with(keys, "issuer", Tokens.ISSUER), "audience", Tokens.AUDIENCE));
            assertThat(checked.issuers(), is(List.of(Tokens.ISSUER)));
            JwtConfig optedOut = jwt(with(with(keys, "allow-any-issuer", "true"), "allow-any-audience", "true"));
            assertThat(optedOut.allowAnyIssuer() && optedOut.allowAnyAudience(), is(true));
        }
        // an HMAC secret alone is one trust domain: no issuer needed, as before
        assertThat(jwt(Map.of("hmac-secret", Tokens.randomSecret())).issuers(), is(List.of()));
        assertThat(jwt(Map.of()).hasPublicKeys(), is(false));
    }

    @Test
    void anOptOutNextToTheValueItOptsOutOfIsRefused() {
        assertRefused(Map.of("issuer", Tokens.ISSUER, "allow-any-issuer", "true"), "cannot be combined", "issuer");
        assertRefused(Map.of("audience", Tokens.AUDIENCE, "allow-any-audience", "true"), "cannot be combined", "audience");
    }

    @Test
    void theScopeClaimGrantsNoRole() {
        TokenVerifier verifier = verifier(checked(Map.of()));
        Principal principal = principal(verifier.verify(RSA.token("mallory", c -> c.add("scope", "admin editor"))));
        assertThat(principal.roles(), is(Set.of()));
        assertThat(principal(verifier.verify(RSA.valid("alice", List.of("admin"), "free"))).roles(), is(Set.of("admin")));
    }

    @Test
    void rolesComeFromTheOneConfiguredClaim() {
        String claim = "https://example.com/roles";
        TokenVerifier verifier = verifier(checked(Map.of("roles-claim", claim)));
        String token = RSA.token("alice", c -> c.add(claim, Json.createArrayBuilder().add("editor"))
                .add("roles", Json.createArrayBuilder().add("admin")).add("scope", "root"));
        assertThat(principal(verifier.verify(token)).roles(), is(Set.of("editor")));
        TokenVerifier scopes = verifier(checked(Map.of("roles-claim", "scope")));
        assertThat(principal(scopes.verify(RSA.token("bob", c -> c.add("scope", "read write")))).roles(),
                   is(Set.of("read", "write")));
    }

    @Test
    void oneTrustedIssuerKeepsTheSubjectAsIdentity() {
        Principal principal = principal(verifier(checked(Map.of())).verify(RSA.valid("alice")));
        assertThat(principal.id(), is("alice"));
        assertThat(principal.subject(), is("alice"));
    }

    @Test
    void severalTrustedIssuersQualifyTheIdentity() {
        String other = "https://other.example.com";
        Map<String, String> twoIssuers = new HashMap<>(PUBLIC_KEY);
        twoIssuers.put("issuer.0", Tokens.ISSUER);
        twoIssuers.put("issuer.1", other);
        twoIssuers.put("audience", Tokens.AUDIENCE);
        TokenVerifier verifier = verifier(jwt(twoIssuers));
        Principal ours = principal(verifier.verify(RSA.valid("alice")));
        Principal theirs = principal(verifier.verify(RSA.withIssuer(other).valid("alice")));
        // the same subject from two issuers is two users
        assertThat(ours.id(), is(Tokens.ISSUER + " alice"));
        assertThat(theirs.id(), is(other + " alice"));
        assertThat(ours.id().equals(theirs.id()), is(false));
        assertThat(ours.subject(), is("alice"));
    }

    @Test
    void anyIssuerNeedsAnIssuerClaimAndCannotForgeAnotherIdentity() {
        TokenVerifier verifier = verifier(jwt(with(with(PUBLIC_KEY, "allow-any-issuer", "true"), "audience", Tokens.AUDIENCE)));
        assertThat(verifier.verify(RSA.token("alice", c -> c.remove("iss"))), instanceOf(Verification.Rejected.class));
        // issuer "a b" + subject "c" must not be issuer "a" + subject "b c"
        Principal spaced = principal(verifier.verify(RSA.withIssuer("a b").valid("c")));
        Principal plain = principal(verifier.verify(RSA.withIssuer("a").valid("b c")));
        assertThat(spaced.id(), is("a%20b c"));
        assertThat(plain.id(), is("a b c"));
        assertThat(principal(verifier.verify(RSA.withIssuer("a%20b").valid("c"))).id(), is("a%2520b c"));
    }

    @Test
    void hmacIsOffNextToPublicKeysUnlessAllowed() {
        String secret = Tokens.randomSecret();
        String hs256 = Tokens.hmac(secret).valid("mallory");
        assertRefused(with(with(with(PUBLIC_KEY, "issuer", Tokens.ISSUER), "audience", Tokens.AUDIENCE), "hmac-secret", secret),
                      "hmac-secret cannot be combined", "allow-hmac-with-public-keys");
        // the secret store's signing key is not used either
        JwtConfig withKeys = checked(Map.of());
        TokenVerifier refusing = new TokenVerifier(withKeys, KeySource.create(withKeys, () -> Optional.of(secret)),
                                                   InstantSource.system());
        assertThat(refusing.verify(hs256), instanceOf(Verification.Rejected.class));
        assertThat(refusing.verify(RSA.valid("alice")), instanceOf(Verification.Verified.class));
        JwtConfig allowed = checked(Map.of("allow-hmac-with-public-keys", "true"));
        TokenVerifier accepting = new TokenVerifier(allowed, KeySource.create(allowed, () -> Optional.of(secret)),
                                                    InstantSource.system());
        assertThat(accepting.verify(hs256), instanceOf(Verification.Verified.class));
    }

    @Test
    void aSecretRemovedFromTheStoreStopsVerifyingAtOnce() {
        String secret = Tokens.randomSecret();
        AtomicReference<Optional<String>> store = new AtomicReference<>(Optional.of(secret));
        JwtConfig jwt = JwtConfig.create();
        TokenVerifier verifier = new TokenVerifier(jwt, KeySource.create(jwt, store::get), InstantSource.system());
        String token = Tokens.hmac(secret).valid("alice");
        assertThat(verifier.verify(token), instanceOf(Verification.Verified.class));
        store.set(Optional.empty());
        // the same token again: not served from the verified-token cache, not verified with the last known secret
        assertThat(verifier.verify(token), instanceOf(Verification.Rejected.class));
        assertThat(verifier.verify(Tokens.hmac(secret).valid("bob")), instanceOf(Verification.Rejected.class));
    }

    private static JwtConfig checked(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(PUBLIC_KEY);
        values.put("issuer", Tokens.ISSUER);
        values.put("audience", Tokens.AUDIENCE);
        values.putAll(extra);
        return jwt(values);
    }

    private static JwtConfig jwt(Map<String, String> values) {
        return JwtConfig.create(Fixtures.config(values).get(""));
    }

    private static TokenVerifier verifier(JwtConfig jwt) {
        return new TokenVerifier(jwt, KeySource.create(jwt), InstantSource.system());
    }

    private static Principal principal(Verification verification) {
        assertThat(verification.toString(), verification, instanceOf(Verification.Verified.class));
        return ((Verification.Verified) verification).principal();
    }

    private static Map<String, String> with(Map<String, String> values, String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return copy;
    }

    private static void assertRefused(Map<String, String> values, String message, String optOut) {
        SecurityConfigException e = assertThrows(SecurityConfigException.class, () -> jwt(values));
        assertThat(e.getMessage(), containsString(message));
        assertThat(e.getMessage(), containsString(optOut));
        assertThat(e.getMessage(), not(containsString("BEGIN PUBLIC KEY")));
    }
}
