package io.dharma.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.dharma.errors.ErrorCode;
import io.dharma.testing.FakeClock;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The claim checks (Nimbus's DefaultJWTClaimsVerifier) mapped to our codes, at the edges: the skew boundary of
 * {@code exp} and {@code nbf}, which refusals may pass later, required claims, several issuers and audiences.
 */
class ClaimsCheckTest {
    private static final String ISSUER = "https://login.example.com";
    private static final String OTHER = "https://other.example.com";
    private static final FakeClock CLOCK = new FakeClock();
    private static final Instant NOW = CLOCK.instant();

    private final ClaimsCheck check = check(Map.of("issuer.0", ISSUER, "issuer.1", OTHER, "audience.0", "api",
                                                   "audience.1", "admin-api", "clock-skew", "PT30S"));

    @Test
    void validClaimsPass() {
        assertThat(check.check(claims(c -> c)), is(Optional.empty()));
        assertThat(check.check(claims(c -> c.issuer(OTHER).audience(List.of("web", "admin-api")))), is(Optional.empty()));
    }

    @Test
    void expiryHonoursTheSkewToTheSecond() {
        assertThat(check.check(claims(c -> c.expirationTime(at(Duration.ofSeconds(-29))))), is(Optional.empty()));
        Verification.Rejected expired = check.check(claims(c -> c.expirationTime(at(Duration.ofSeconds(-30))))).orElseThrow();
        assertThat(expired.code(), is(ErrorCode.TOKEN_EXPIRED));
        assertThat(expired.dependsOnTime(), is(false));
    }

    @Test
    void notBeforeHonoursTheSkewAndMayPassLater() {
        assertThat(check.check(claims(c -> c.notBeforeTime(at(Duration.ofSeconds(29))))), is(Optional.empty()));
        Verification.Rejected early = check.check(claims(c -> c.notBeforeTime(at(Duration.ofSeconds(30))))).orElseThrow();
        assertThat(early.code(), is(ErrorCode.INVALID_TOKEN));
        assertThat(early.dependsOnTime(), is(true));
        // not valid yet and for another audience: refused for good
        Verification.Rejected foreign = check.check(claims(c -> c.notBeforeTime(at(Duration.ofMinutes(5))).audience("web")))
                .orElseThrow();
        assertThat(foreign.dependsOnTime(), is(false));
    }

    @Test
    void wrongOrMissingIssuerAudienceExpiryOrSubjectIsInvalid() {
        for (UnaryOperator<JWTClaimsSet.Builder> broken : List.<UnaryOperator<JWTClaimsSet.Builder>>of(
                c -> c.issuer("https://evil.example.com"),
                c -> c.issuer(null),
                c -> c.audience("web"),
                c -> c.audience((String) null),
                c -> c.expirationTime(null),
                c -> c.subject(null))) {
            Verification.Rejected rejected = check.check(claims(broken)).orElseThrow();
            assertThat(rejected.reason(), rejected.code(), is(ErrorCode.INVALID_TOKEN));
            assertThat(rejected.reason(), rejected.dependsOnTime(), is(false));
        }
    }

    @Test
    void aRequiredClaimSentAsJsonNullIsMissing() throws Exception {
        JWTClaimsSet claims = JWTClaimsSet.parse("{\"iss\":\"" + ISSUER + "\",\"aud\":\"api\",\"sub\":\"alice\",\"exp\":null}");
        assertThat(check.check(claims).orElseThrow().reason(), is("no exp claim"));
    }

    @Test
    void anyIssuerStillNeedsAnIssuerClaim() {
        ClaimsCheck any = check(Map.of("allow-any-issuer", "true", "allow-any-audience", "true", "jwks-url",
                                       "https://login.example.com/jwks"));
        assertThat(any.check(claims(c -> c.issuer("https://anyone.example.com").audience((String) null))),
                   is(Optional.empty()));
        assertThat(any.check(claims(c -> c.issuer(null))).orElseThrow().code(), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void withoutIssuerOrAudienceConfiguredNeitherIsChecked() {
        ClaimsCheck hmacOnly = check(Map.of());
        assertThat(hmacOnly.check(claims(c -> c.issuer(null).audience((String) null))), is(Optional.empty()));
    }

    @Test
    void aSubSecondSkewCountsInWholeSeconds() {
        ClaimsCheck skew = check(Map.of("clock-skew", "PT1.9S"));
        assertThat(skew.check(claims(c -> c.expirationTime(at(Duration.ofMillis(-999))))), is(Optional.empty()));
        assertThat(skew.check(claims(c -> c.expirationTime(at(Duration.ofSeconds(-1))))).orElseThrow().code(),
                   is(ErrorCode.TOKEN_EXPIRED));
    }

    private static ClaimsCheck check(Map<String, String> jwt) {
        return new ClaimsCheck(JwtConfig.create(Fixtures.config(jwt).get("")), CLOCK);
    }

    private static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
        return change.apply(new JWTClaimsSet.Builder()
                                    .issuer(ISSUER)
                                    .audience("api")
                                    .subject("alice")
                                    .issueTime(Date.from(NOW))
                                    .expirationTime(at(Duration.ofMinutes(5))))
                .build();
    }

    private static Date at(Duration fromNow) {
        return Date.from(NOW.plus(fromNow));
    }
}
