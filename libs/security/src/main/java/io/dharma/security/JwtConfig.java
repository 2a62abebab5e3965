package io.dharma.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.helidon.config.Config;

import org.slf4j.LoggerFactory;

import static io.dharma.security.ConfigValues.duration;
import static io.dharma.security.ConfigValues.require;
import static io.dharma.security.ConfigValues.strings;

/**
 * Configuration of the {@code security.jwt} node: which tokens are accepted and where the keys come from.
 *
 * @param issuers        accepted {@code iss} values ({@code issuer}: one value or a list); empty only with
 *                       {@code allowAnyIssuer} or without public keys and JWKS
 * @param audiences      accepted {@code aud} values ({@code audience}); the token must name one; empty only with
 *                       {@code allowAnyAudience} or without public keys and JWKS
 * @param clockSkew      tolerance for {@code exp} and {@code nbf} ({@code clock-skew})
 * @param algorithms     accepted JWS algorithms ({@code algorithms}); each key still accepts only its own family
 * @param hmacSecret     inline HMAC secret ({@code hmac-secret}), for development and tests only
 * @param publicKeys     RSA/EC public keys ({@code public-keys: [{kid, pem}]})
 * @param jwksUrl        JWKS URL ({@code jwks-url})
 * @param jwksRefresh    how long a fetched JWKS is used ({@code jwks-refresh}): the cache time-to-live
 * @param jwksMinRefetch rate limit of JWKS fetches, at most two per interval, bounding refetches for unknown key ids
 *                       ({@code jwks-min-refetch}); shorter than {@code jwksRefresh}
 * @param jwksTimeout    connect and read timeout of one JWKS fetch ({@code jwks-timeout})
 * @param allowAnyIssuer   accept any issuer although public keys or a JWKS are configured ({@code allow-any-issuer});
 *                         the principal's {@link Principal#id() id} then includes the issuer
 * @param allowAnyAudience accept any audience although public keys or a JWKS are configured
 *                         ({@code allow-any-audience})
 * @param rolesClaim     the one claim roles are read from ({@code roles-claim}); no other claim grants roles
 * @param allowHmacWithPublicKeys verify HMAC tokens (the secret store's signing key, {@code hmac-secret}) next to public
 *                       keys or a JWKS ({@code allow-hmac-with-public-keys}); off by default: whoever holds the shared
 *                       secret could otherwise mint tokens that look like the identity provider's
 * @param tokenCacheSize   verified tokens remembered ({@code token-cache.max-size}); 0 turns the cache off
 * @param tokenCacheMaxAge longest time a verification is reused ({@code token-cache.max-age}); never past the
 *                         token's {@code exp}
 */
public record JwtConfig(List<String> issuers,
                        List<String> audiences,
                        Duration clockSkew,
                        Set<String> algorithms,
                        Optional<String> hmacSecret,
                        List<PublicKey> publicKeys,
                        Optional<URI> jwksUrl,
                        Duration jwksRefresh,
                        Duration jwksMinRefetch,
                        Duration jwksTimeout,
                        boolean allowAnyIssuer,
                        boolean allowAnyAudience,
                        String rolesClaim,
                        boolean allowHmacWithPublicKeys,
                        int tokenCacheSize,
                        Duration tokenCacheMaxAge) {
    /** Default clock skew: 30 seconds. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** Default accepted algorithms. */
    public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "ES256", "HS256");
    /** Default claim roles are read from. */
    public static final String DEFAULT_ROLES_CLAIM = "roles";
    /** Default number of verified tokens remembered. */
    public static final int DEFAULT_TOKEN_CACHE_SIZE = 10_000;
    /** Default longest reuse of one verification. */
    public static final Duration DEFAULT_TOKEN_CACHE_MAX_AGE = Duration.ofMinutes(1);
    /** Every algorithm that may be configured; {@code none} is not one of them. */
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
                                                                  "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

    /**
     * Validates and copies.
     */
    public JwtConfig {
        issuers = List.copyOf(issuers);
        audiences = List.copyOf(audiences);
        algorithms = Set.copyOf(algorithms);
        publicKeys = List.copyOf(publicKeys);
        require(!clockSkew.isNegative(), "security.jwt.clock-skew must not be negative");
        require(!algorithms.isEmpty(), "security.jwt.algorithms must name at least one algorithm");
        for (String algorithm : algorithms) {
            require(SUPPORTED_ALGORITHMS.contains(algorithm), "security.jwt.algorithms: unsupported algorithm '"
                    + algorithm + "'; use " + new TreeSet<>(SUPPORTED_ALGORITHMS));
        }
        hmacSecret.ifPresent(secret -> require(secret.getBytes(StandardCharsets.UTF_8).length >= 32,
                                               "security.jwt.hmac-secret must have at least 32 bytes (256 bits)"));
        require(jwksRefresh.toMillis() > 0, "security.jwt.jwks-refresh must be positive");
        require(jwksTimeout.toMillis() > 0, "security.jwt.jwks-timeout must be positive");
        require(jwksUrl.isEmpty() || jwksMinRefetch.compareTo(jwksRefresh) < 0,
                "security.jwt.jwks-min-refetch must be shorter than security.jwt.jwks-refresh");
        require(!rolesClaim.isBlank(), "security.jwt.roles-claim must not be blank");
        require(tokenCacheSize >= 0, "security.jwt.token-cache.max-size must not be negative");
        require(!allowAnyIssuer || issuers.isEmpty(), "security.jwt.allow-any-issuer cannot be combined with security.jwt.issuer");
        require(!allowAnyAudience || audiences.isEmpty(),
                "security.jwt.allow-any-audience cannot be combined with security.jwt.audience");
        issuers.forEach(issuer -> require(issuer.chars().noneMatch(Character::isWhitespace),
                                          "security.jwt.issuer must not contain white space: '" + issuer + "'"));
        if (!publicKeys.isEmpty() || jwksUrl.isPresent()) {
            // keys of an identity provider sign tokens for every service it serves: without iss and aud checks a token
            // issued for another service (or by another tenant of the provider) would be accepted here
            require(!issuers.isEmpty() || allowAnyIssuer, "security.jwt.issuer is required with public-keys or jwks-url "
                    + "(set security.jwt.allow-any-issuer: true to accept tokens of any issuer)");
            require(!audiences.isEmpty() || allowAnyAudience, "security.jwt.audience is required with public-keys or jwks-url"
                    + " (set security.jwt.allow-any-audience: true to accept tokens for any audience)");
            require(hmacSecret.isEmpty() || allowHmacWithPublicKeys, "security.jwt.hmac-secret cannot be combined with "
                    + "public-keys or jwks-url (set security.jwt.allow-hmac-with-public-keys: true to accept both)");
        }
    }

    /**
     * Whether tokens of more than one issuer may be accepted, so that a subject alone does not name one user.
     *
     * @return {@code true} with several issuers or {@code allow-any-issuer}
     */
    public boolean multipleIssuers() {
        return allowAnyIssuer || issuers.size() > 1;
    }

    /**
     * Whether public keys or a JWKS URL are configured.
     *
     * @return {@code true} if asymmetric keys verify tokens
     */
    public boolean hasPublicKeys() {
        return !publicKeys.isEmpty() || jwksUrl.isPresent();
    }

    /**
     * Whether HMAC keys (the secret store's signing key, the inline secret) verify tokens: without public keys and
     * JWKS, or with {@code allow-hmac-with-public-keys}.
     *
     * @return {@code true} if HMAC tokens may be accepted
     */
    public boolean hmacEnabled() {
        return !hasPublicKeys() || allowHmacWithPublicKeys;
    }

    /**
     * Defaults: no keys (so no issuer or audience is required), roles from {@code roles}.
     *
     * @return default configuration
     */
    public static JwtConfig create() {
        return create(Config.empty());
    }

    /**
     * Read from the {@code security.jwt} node.
     *
     * @param jwt the node (may be missing)
     * @return configuration
     * @throws SecurityConfigException if a value is invalid (an unknown algorithm, a short secret, a bad PEM key)
     */
    public static JwtConfig create(Config jwt) {
        Optional<String> hmacSecret = jwt.get("hmac-secret").asString().filter(s -> !s.isBlank());
        if (hmacSecret.isPresent()) {
            LoggerFactory.getLogger(JwtConfig.class).warn("security.jwt.hmac-secret is set inline: use it for development and"
                    + " tests only, production secrets come from the secret store");
        }
        List<PublicKey> publicKeys = jwt.get("public-keys").asNodeList().orElse(List.of()).stream()
                .map(node -> new PublicKey(ConfigValues.required(node.get("kid")), ConfigValues.required(node.get("pem"))))
                .toList();
        return new JwtConfig(strings(jwt.get("issuer"), List.of()),
                             strings(jwt.get("audience"), List.of()),
                             duration(jwt.get("clock-skew"), DEFAULT_CLOCK_SKEW),
                             new LinkedHashSet<>(strings(jwt.get("algorithms"), List.copyOf(DEFAULT_ALGORITHMS))),
                             hmacSecret,
                             publicKeys,
                             jwt.get("jwks-url").asString().filter(s -> !s.isBlank()).map(JwtConfig::jwksUrl),
                             duration(jwt.get("jwks-refresh"), KeySource.DEFAULT_JWKS_REFRESH),
                             duration(jwt.get("jwks-min-refetch"), KeySource.DEFAULT_JWKS_MIN_REFETCH),
                             duration(jwt.get("jwks-timeout"), KeySource.DEFAULT_JWKS_TIMEOUT),
                             jwt.get("allow-any-issuer").asBoolean().orElse(false),
                             jwt.get("allow-any-audience").asBoolean().orElse(false),
                             jwt.get("roles-claim").asString().map(String::trim).orElse(DEFAULT_ROLES_CLAIM),
                             jwt.get("allow-hmac-with-public-keys").asBoolean().orElse(false),
                             jwt.get("token-cache.max-size").asInt().orElse(DEFAULT_TOKEN_CACHE_SIZE),
                             duration(jwt.get("token-cache.max-age"), DEFAULT_TOKEN_CACHE_MAX_AGE));
    }

    private static URI jwksUrl(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new SecurityConfigException("security.jwt.jwks-url is not a URL: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        // never the secret
        return "JwtConfig[issuers=" + issuers + ", audiences=" + audiences + ", clockSkew=" + clockSkew + ", algorithms="
                + algorithms + ", hmacSecret=" + (hmacSecret.isPresent() ? "***" : "none") + ", publicKeys="
                + publicKeys.stream().map(PublicKey::keyId).toList() + ", jwksUrl=" + jwksUrl.map(URI::toString).orElse("none")
                + ", jwksRefresh=" + jwksRefresh + ", jwksMinRefetch=" + jwksMinRefetch + ", jwksTimeout=" + jwksTimeout
                + ", allowAnyIssuer=" + allowAnyIssuer + ", allowAnyAudience=" + allowAnyAudience + ", rolesClaim=" + rolesClaim
                + ", allowHmacWithPublicKeys=" + allowHmacWithPublicKeys + ", tokenCacheSize=" + tokenCacheSize
                + ", tokenCacheMaxAge=" + tokenCacheMaxAge + "]";
    }

    /**
     * A configured public key.
     *
     * @param keyId the {@code kid} tokens signed with it carry
     * @param pem   {@code -----BEGIN PUBLIC KEY-----} (RSA or EC) or {@code -----BEGIN CERTIFICATE-----}
     */
    public record PublicKey(String keyId, String pem) {
        /**
         * Validates that the PEM text is a usable key.
         */
        public PublicKey {
            require(!keyId.isBlank(), "security.jwt.public-keys: kid must not be blank");
            try {
                VerificationKey.pem(keyId, pem);
            } catch (SecurityConfigException e) {
                throw new SecurityConfigException("security.jwt.public-keys: key '" + keyId + "' is unusable: " + e.getMessage(),
                                                  e);
            }
        }
    }
}
