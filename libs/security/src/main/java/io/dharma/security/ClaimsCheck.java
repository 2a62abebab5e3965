package io.dharma.security;

import java.time.InstantSource;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.dharma.errors.ErrorCode;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import org.jspecify.annotations.Nullable;

/**
 * The registered claims of a token whose signature verified, checked by Nimbus's {@link DefaultJWTClaimsVerifier}:
 * {@code iss} equal to an accepted issuer (one verifier per issuer, picked by the token's {@code iss}), {@code aud}
 * naming an accepted audience, {@code exp} and {@code sub} present ({@code iss} too when any issuer is accepted),
 * {@code exp} and {@code nbf} with the clock skew in whole seconds. An expired token is {@link ErrorCode#TOKEN_EXPIRED},
 * every other failure {@link ErrorCode#INVALID_TOKEN}; one that fails on {@code nbf} alone may pass later, so its
 * verdict is marked as depending on the time.
 */
final class ClaimsCheck {
    // one pair per accepted issuer; empty when any issuer (or, with HMAC only, none configured) is accepted
    private final Map<String, Verifiers> byIssuer;
    private final @Nullable Verifiers anyIssuer;
    private final Set<String> required;

    ClaimsCheck(JwtConfig config, InstantSource clock) {
        Set<String> audiences = config.audiences().isEmpty() ? null : new HashSet<>(config.audiences());
        int skewSeconds = (int) Math.min(Integer.MAX_VALUE, config.clockSkew().toSeconds());
        Set<String> required = new HashSet<>(Set.of(JWTClaimNames.EXPIRATION_TIME, JWTClaimNames.SUBJECT));
        if (config.issuers().isEmpty()) {
            if (config.multipleIssuers()) {
                // the identity is issuer + subject: without an issuer there is none
                required.add(JWTClaimNames.ISSUER);
            }
            this.byIssuer = Map.of();
            this.anyIssuer = Verifiers.create(audiences, null, required, skewSeconds, clock);
        } else {
            Map<String, Verifiers> verifiers = new LinkedHashMap<>();
            for (String issuer : config.issuers()) {
                verifiers.put(issuer, Verifiers.create(audiences, issuer, required, skewSeconds, clock));
            }
            this.byIssuer = Map.copyOf(verifiers);
            this.anyIssuer = null;
        }
        this.required = Set.copyOf(required);
    }

    /**
     * Check the claims.
     *
     * @param claims claims of a token whose signature verified
     * @return the rejection, empty if the claims are acceptable
     */
    Optional<Verification.Rejected> check(JWTClaimsSet claims) {
        String issuer = claims.getIssuer();
        Verifiers verifiers = anyIssuer != null ? anyIssuer : issuer == null ? null : byIssuer.get(issuer);
        if (verifiers == null) {
            return Optional.of(Verification.Rejected.invalid("issuer " + issuer + " is not accepted"));
        }
        for (String name : required) {
            // Nimbus's required-claims check sees names only: "exp": null would pass it and skip the expiry check
            if (claims.getClaim(name) == null) {
                return Optional.of(Verification.Rejected.invalid("no " + name + " claim"));
            }
        }
        try {
            verifiers.timed().verify(claims, null);
            return Optional.empty();
        } catch (ExpiredJWTException e) {
            return Optional.of(new Verification.Rejected(ErrorCode.TOKEN_EXPIRED,
                                                         "expired at " + claims.getExpirationTime().toInstant()));
        } catch (BadJWTException e) {
            return Optional.of(verifiers.passesWithoutTime(claims)
                                       ? Verification.Rejected.notYetValid("not valid before "
                                                                                   + claims.getNotBeforeTime().toInstant())
                                       : Verification.Rejected.invalid(e.getMessage()));
        }
    }

    /**
     * The same checks with and without the time window.
     *
     * @param timed    every check, {@code exp} and {@code nbf} against the clock
     * @param timeless every check but {@code exp} and {@code nbf}
     */
    private record Verifiers(DefaultJWTClaimsVerifier<SecurityContext> timed,
                             DefaultJWTClaimsVerifier<SecurityContext> timeless) {
        static Verifiers create(@Nullable Set<String> audiences, @Nullable String issuer, Set<String> required,
                                int skewSeconds, InstantSource clock) {
            JWTClaimsSet exact = issuer == null ? null : new JWTClaimsSet.Builder().issuer(issuer).build();
            return new Verifiers(new Verifier(audiences, exact, required, skewSeconds, clock),
                                 new Verifier(audiences, exact, required, skewSeconds, null));
        }

        boolean passesWithoutTime(JWTClaimsSet claims) {
            try {
                timeless.verify(claims, null);
                return true;
            } catch (BadJWTException e) {
                return false;
            }
        }
    }

    /** Nimbus's verifier on our clock; without one it skips the {@code exp} and {@code nbf} checks. */
    private static final class Verifier extends DefaultJWTClaimsVerifier<SecurityContext> {
        private final @Nullable InstantSource clock;

        Verifier(@Nullable Set<String> audiences, @Nullable JWTClaimsSet exact, Set<String> required, int skewSeconds,
                 @Nullable InstantSource clock) {
            super(audiences, exact, required, null);
            setMaxClockSkew(skewSeconds);
            this.clock = clock;
        }

        @Override
        protected @Nullable Date currentTime() {
            return clock == null ? null : Date.from(clock.instant());
        }
    }
}
