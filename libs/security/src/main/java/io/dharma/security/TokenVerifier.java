package io.dharma.security;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * Checks a compact JWS bearer token: parse, algorithm allowed, signature by a key of that algorithm's family, then
 * the claims ({@link ClaimsCheck}: issuer, audience, expiry and not-before with clock skew, by Nimbus), then builds the
 * {@link Principal}. The signature is checked before any claim, so the claims of a forged token never decide anything.
 * Tokens that verified are remembered in a {@link TokenCache} until they expire, at most {@code token-cache.max-age},
 * and while the key that verified them is still trusted.
 */
final class TokenVerifier {
    /** Tokens longer than this are refused before parsing. */
    static final int MAX_TOKEN_LENGTH = 8192;

    private final JwtConfig config;
    private final KeySource keys;
    private final InstantSource clock;
    private final ClaimsCheck claimsCheck;
    // as the claims check counts it: whole seconds
    private final Duration clockSkew;
    private final TokenCache cache;

    TokenVerifier(JwtConfig config, KeySource keys, InstantSource clock) {
        this.config = config;
        this.keys = keys;
        this.clock = clock;
        this.claimsCheck = new ClaimsCheck(config, clock);
        this.clockSkew = Duration.ofSeconds(config.clockSkew().toSeconds());
        this.cache = new TokenCache(config.tokenCacheSize(), config.tokenCacheMaxAge());
    }

    Verification verify(String token) {
        try {
            return check(token);
        } catch (KeysUnavailableException e) {
            // no verdict, so nothing is cached
            return new Verification.Unavailable(e.getMessage(), e.retryAfter());
        }
    }

    private Verification check(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            return Verification.Rejected.invalid("token longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        Instant now = clock.instant();
        Optional<Verification> known = cache.get(token, now, keys);
        if (known.isPresent()) {
            return known.get();
        }
        SignedJWT jwt;
        try {
            // refuses unsecured tokens (alg none): they are not JWS objects
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            return refused(token, "malformed token (" + e.getClass().getSimpleName() + ")", null, null, now);
        }
        JWSHeader header = jwt.getHeader();
        String keyId = header.getKeyID();
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!config.algorithms().contains(algorithm.getName())) {
            return refused(token, "algorithm " + algorithm + " is not allowed", null, null, now);
        }
        List<VerificationKey> trusted = keyId == null ? keys.keys() : keys.keys(keyId);
        List<VerificationKey> candidates = trusted.stream().filter(key -> key.accepts(algorithm)).toList();
        if (candidates.isEmpty()) {
            return refused(token, "no key for algorithm " + algorithm + (keyId == null ? "" : " and kid " + keyId),
                           trusted, keyId, now);
        }
        VerificationKey signer = verifiedByAny(jwt, candidates);
        if (signer == null) {
            return refused(token, "signature does not verify", trusted, keyId, now);
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refused(token, "claims are not a JSON object", null, null, now);
        }
        Verification verification = principal(claims);
        if (verification instanceof Verification.Verified verified) {
            cache.put(token, verified.principal(), signer, keyId, now,
                      claims.getExpirationTime().toInstant().plus(clockSkew));
        } else if (verification instanceof Verification.Rejected rejected && !rejected.dependsOnTime()) {
            // signed by a trusted key: the claims' verdict holds as long as the token does
            cache.putRejected(token, rejected, null, null, now);
        }
        return verification;
    }

    private Verification refused(String token, String reason, @Nullable List<VerificationKey> trusted,
                                 @Nullable String keyId, Instant now) {
        Verification.Rejected rejected = Verification.Rejected.invalid(reason);
        cache.putRejected(token, rejected, trusted, keyId, now);
        return rejected;
    }

    private static @Nullable VerificationKey verifiedByAny(SignedJWT jwt, List<VerificationKey> candidates) {
        for (VerificationKey key : candidates) {
            try {
                // stateless check: the JWSObject's own state is not touched
                if (key.verifier().verify(jwt.getHeader(), jwt.getSigningInput(), jwt.getSignature())) {
                    return key;
                }
            } catch (JOSEException e) {
                // this key cannot check this signature; try the next
            }
        }
        return null;
    }

    private Verification principal(JWTClaimsSet claims) {
        Optional<Verification.Rejected> rejected = claimsCheck.check(claims);
        if (rejected.isPresent()) {
            return rejected.get();
        }
        // present, as the claims check requires; blank is no identity either
        String issuer = claims.getIssuer();
        if (config.multipleIssuers() && (issuer == null || issuer.isBlank())) {
            return Verification.Rejected.invalid("no iss claim");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            return Verification.Rejected.invalid("no sub claim");
        }
        Set<String> roles = roles(claims.getClaim(config.rolesClaim()));
        return new Verification.Verified(config.multipleIssuers() ? Principal.ofIssuer(issuer, subject, roles, tier(claims))
                                                 : new Principal(subject, roles, tier(claims)));
    }

    /**
     * Roles from the one configured claim: a JSON array of strings or a space-separated string. No other claim (such
     * as {@code scope}) grants roles.
     */
    static Set<String> roles(@Nullable Object claim) {
        Set<String> roles = new LinkedHashSet<>();
        if (claim instanceof String text) {
            for (String role : text.trim().split("\\s+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        } else if (claim instanceof Collection<?> values) {
            for (Object value : values) {
                if (value instanceof String role && !role.isBlank()) {
                    roles.add(role.trim());
                }
            }
        }
        return roles;
    }

    /** Tier from {@code tier}, else {@code subscription}, else free; an unknown value is free. */
    static Tier tier(JWTClaimsSet claims) {
        Object tier = claims.getClaim("tier");
        if (tier == null) {
            tier = claims.getClaim("subscription");
        }
        return tier instanceof String name ? Tier.parse(name) : Tier.FREE;
    }
}
