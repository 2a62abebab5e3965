package io.dharma.security;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.Json;

import io.dharma.errors.ErrorCode;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The verifier and key sources without a server: key families, the algorithm allow-list, headers a verifier must not
 * trust, and the HMAC supplier.
 */
class TokenVerifierTest {
    private static final Tokens RSA = Tokens.rsa("rsa");
    private static final Tokens EC = Tokens.ec("ec");

    @Test
    void hs256WithOnlyAnRsaKeyConfiguredIsRefused() {
        // the classic key-confusion setup: the verifier has only the RSA public key, HS256 is allowed
        TokenVerifier verifier = verifier(JwtConfig.create(), KeySource.of(List.of(VerificationKey.pem("rsa",
                                                                                                      RSA.publicKeyPem()))));
        assertRejected(verifier.verify(RSA.keyConfusion("mallory", List.of("admin"))), "no key for algorithm HS256");
        assertRejected(verifier.verify(RSA.keyConfusion("mallory", List.of("admin"), RSA.publicKey().getEncoded())),
                       "no key for algorithm HS256");
        assertThat(verifier.verify(RSA.valid("alice")), instanceOf(Verification.Verified.class));
    }

    @Test
    void algorithmsOutsideTheAllowListAreRefused() {
        JwtConfig onlyRs256 = JwtConfig.create(Fixtures.config(Map.of("algorithms", "RS256")).get(""));
        TokenVerifier verifier = verifier(onlyRs256, KeySource.of(List.of(VerificationKey.of("ec", EC.publicKey()),
                                                                          VerificationKey.of("rsa", RSA.publicKey()))));
        assertRejected(verifier.verify(EC.valid("alice")), "algorithm ES256 is not allowed");
        assertThat(verifier.verify(RSA.valid("alice")), instanceOf(Verification.Verified.class));
    }

    @Test
    void algNoneIsRefusedBeforeAnyKeyIsAsked() {
        AtomicInteger asked = new AtomicInteger();
        TokenVerifier verifier = verifier(JwtConfig.create(), () -> {
            asked.incrementAndGet();
            return List.of(VerificationKey.of(RSA.publicKey()));
        });
        assertRejected(verifier.verify(RSA.algNone("mallory", List.of("admin"))), "malformed token");
        // "None" and "NONE" are not special to a parser that only knows JWS: they are unknown algorithms
        String header = Json.createObjectBuilder().add("alg", "NONE").build().toString();
        String forged = b64(header) + "." + b64("{\"sub\":\"mallory\",\"exp\":4000000000}") + ".";
        assertThat(verifier.verify(forged), instanceOf(Verification.Rejected.class));
        assertThat(asked.get(), is(0));
    }

    @Test
    void embeddedKeysInTheHeaderAreNotTrusted() {
        // a token that brings its own key (jwk header) and URL (jku) is still checked against the configured key only
        Tokens attacker = Tokens.rsa("rsa");
        String token = attacker.sign(Json.createObjectBuilder().add("alg", "RS256").add("kid", "rsa")
                                             .add("jwk", attacker.jwk()).add("jku", "https://evil.example/jwks").build(),
                                     Json.createObjectBuilder().add("sub", "mallory").add("exp", 4_000_000_000L).build());
        TokenVerifier verifier = verifier(JwtConfig.create(), KeySource.of(List.of(VerificationKey.of("rsa",
                                                                                                     RSA.publicKey()))));
        assertRejected(verifier.verify(token), "signature does not verify");
    }

    @Test
    void unknownCriticalHeaderIsRefused() {
        String token = RSA.sign(Json.createObjectBuilder().add("alg", "RS256").add("kid", "rsa")
                                        .add("crit", Json.createArrayBuilder().add("exp-policy")).add("exp-policy", "x").build(),
                                Json.createObjectBuilder().add("sub", "alice").add("exp", 4_000_000_000L).build());
        TokenVerifier verifier = verifier(JwtConfig.create(), KeySource.of(List.of(VerificationKey.of("rsa",
                                                                                                     RSA.publicKey()))));
        assertThat(verifier.verify(token), instanceOf(Verification.Rejected.class));
    }

    @Test
    void oversizedTokenIsRefused() {
        TokenVerifier verifier = verifier(JwtConfig.create(), KeySource.of(List.of(VerificationKey.of(RSA.publicKey()))));
        String huge = RSA.token("alice", c -> c.add("padding", "x".repeat(TokenVerifier.MAX_TOKEN_LENGTH)));
        assertRejected(verifier.verify(huge), "longer than");
    }

    @Test
    void keyWithoutKidIsTriedForEveryKid() {
        TokenVerifier verifier = verifier(JwtConfig.create(), KeySource.of(List.of(VerificationKey.of(EC.publicKey()))));
        assertThat(verifier.verify(EC.withKeyId("whatever").valid("alice")), instanceOf(Verification.Verified.class));
    }

    @Test
    void keysAcceptOnlyTheirFamily() {
        assertThat(VerificationKey.of(RSA.publicKey()).algorithms(),
                   is(Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")));
        assertThat(VerificationKey.of(EC.publicKey()).algorithms(), is(Set.of("ES256")));
        assertThat(VerificationKey.hmac("s".repeat(32)).algorithms(), is(Set.of("HS256")));
        assertThat(VerificationKey.hmac("s".repeat(64)).algorithms(), is(Set.of("HS256", "HS384", "HS512")));
        assertThat(assertThrows(SecurityConfigException.class, () -> VerificationKey.hmac("s".repeat(31))).getMessage(),
                   containsString("32 bytes"));
        assertThrows(SecurityConfigException.class, () -> VerificationKey.of(RSA.publicKey()).restrictTo("HS256"));
    }

    @Test
    void weakRsaKeysAreRefused() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        assertThat(assertThrows(SecurityConfigException.class,
                                () -> VerificationKey.of(generator.generateKeyPair().getPublic())).getMessage(),
                   containsString("2048"));
    }

    @Test
    void pemCertificateGivesItsPublicKey() throws Exception {
        // a self-signed P-256 certificate made with keytool (public material only)
        String pem;
        try (var in = TokenVerifierTest.class.getResourceAsStream("/ec-certificate.pem")) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertThat(VerificationKey.pem("cert", pem).algorithms(), is(Set.of("ES256")));
    }

    @Test
    void otherPemBlocksAreRefusedClearly() {
        String rsaPem = RSA.publicKeyPem().replace("PUBLIC KEY", "RSA PUBLIC KEY");
        assertThat(assertThrows(SecurityConfigException.class, () -> VerificationKey.pem("k", rsaPem)).getMessage(),
                   containsString("Unsupported PEM block RSA PUBLIC KEY"));
        assertThat(VerificationKey.pem("k", EC.publicKeyPem()).algorithms(), is(Set.of("ES256")));
    }

    @Test
    void hmacSupplierKeepsTheLastKeyWhenTheStoreFails() {
        String secret = Tokens.randomSecret();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        KeySource keys = KeySource.hmac(() -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return Optional.of(secret);
        });
        TokenVerifier verifier = verifier(JwtConfig.create(), keys);
        assertThat(verifier.verify(Tokens.hmac(secret).valid("alice")), instanceOf(Verification.Verified.class));
        failure.set(new IllegalStateException("vault down"));
        assertThat(verifier.verify(Tokens.hmac(secret).valid("alice")), instanceOf(Verification.Verified.class));
    }

    @Test
    void hmacSupplierWithoutValueOrWithAShortValueGivesNoKey() {
        assertThat(KeySource.hmac(Optional::empty).keys(), is(List.of()));
        assertThat(KeySource.hmac(() -> Optional.of("too short")).keys(), is(List.of()));
    }

    @Test
    void supplierWinsOverTheInlineSecret() {
        String inline = Tokens.randomSecret();
        String stored = Tokens.randomSecret();
        JwtConfig jwt = JwtConfig.create(Fixtures.config(Map.of("hmac-secret", inline)).get(""));
        AtomicReference<Optional<String>> store = new AtomicReference<>(Optional.empty());
        TokenVerifier verifier = verifier(jwt, KeySource.create(jwt, store::get));
        assertThat(verifier.verify(Tokens.hmac(inline).valid("a")), instanceOf(Verification.Verified.class));
        store.set(Optional.of(stored));
        assertThat(verifier.verify(Tokens.hmac(stored).valid("a")), instanceOf(Verification.Verified.class));
        assertThat(verifier.verify(Tokens.hmac(inline).valid("a")), instanceOf(Verification.Rejected.class));
    }

    @Test
    void expiredIsReportedAsExpired() {
        TokenVerifier verifier = verifier(JwtConfig.create(), KeySource.of(List.of(VerificationKey.of(RSA.publicKey()))));
        Verification verification = verifier.verify(RSA.expired("alice"));
        assertThat(((Verification.Rejected) verification).code(), is(ErrorCode.TOKEN_EXPIRED));
    }

    @Test
    void tierParsing() {
        assertThat(Tier.parse("Enterprise"), is(Tier.ENTERPRISE));
        assertThat(Tier.parse(" basic "), is(Tier.BASIC));
        assertThat(Tier.parse("gold"), is(Tier.FREE));
        assertThat(Tier.parse(""), is(Tier.FREE));
    }

    private static TokenVerifier verifier(JwtConfig config, KeySource keys) {
        return new TokenVerifier(config, keys, InstantSource.system());
    }

    private static void assertRejected(Verification verification, String reason) {
        assertThat(verification, instanceOf(Verification.Rejected.class));
        Verification.Rejected rejected = (Verification.Rejected) verification;
        assertThat(rejected.code(), is(ErrorCode.INVALID_TOKEN));
        assertThat(rejected.reason(), containsString(reason));
    }

    private static String b64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
