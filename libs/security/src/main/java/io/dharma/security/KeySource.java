package io.dharma.security;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Where the keys that verify token signatures come from. Implementations are called on every verification, so they
 * answer from memory (a JWKS source fetches only when its cache is stale or a token names an unknown key id). One that
 * cannot know its keys throws {@link KeysUnavailableException}; the request is then answered 503, not 401.
 * <pre>{@code
 * KeySource keys = KeySource.create(config.jwt(), () -> secrets.get("jwt-signing-key"));
 * }</pre>
 */
@FunctionalInterface
public interface KeySource {
    /** Default time a fetched JWKS is used before it is fetched again. */
    Duration DEFAULT_JWKS_REFRESH = Duration.ofMinutes(10);
    /** Default rate limit of JWKS fetches: at most two per this interval (Nimbus's {@code RateLimitedJWKSetSource}). */
    Duration DEFAULT_JWKS_MIN_REFETCH = Duration.ofSeconds(30);
    /** Default connect and read timeout of a JWKS fetch. */
    Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Every key that may verify a token without key id.
     *
     * @return current keys
     * @throws KeysUnavailableException if no keys are known and none can be fetched now
     */
    List<VerificationKey> keys();

    /**
     * The keys that may verify a token whose header names a key id: keys with that id and keys without id.
     *
     * @param keyId the token's {@code kid}
     * @return matching keys, empty if none matches
     * @throws KeysUnavailableException if no keys are known and none can be fetched now
     */
    default List<VerificationKey> keys(String keyId) {
        return keys().stream().filter(key -> key.matches(keyId)).toList();
    }

    /**
     * Fixed keys.
     *
     * @param keys keys
     * @return key source
     */
    static KeySource of(List<VerificationKey> keys) {
        List<VerificationKey> copy = List.copyOf(keys);
        return () -> copy;
    }

    /**
     * An HMAC secret read from a supplier (the secret store) on every verification, so a rotated secret takes effect
     * without a restart. The key is rebuilt only when the value changes; if the supplier fails, the last good key is
     * kept; a secret shorter than 32 bytes is refused (logged, never printed).
     *
     * @param secret current secret, empty when none is set
     * @return key source
     */
    static KeySource hmac(Supplier<Optional<String>> secret) {
        return new HmacKeySource(secret);
    }

    /**
     * Keys from a JWKS URL with the default refresh ({@link #DEFAULT_JWKS_REFRESH}), refetch interval
     * ({@link #DEFAULT_JWKS_MIN_REFETCH}) and timeout ({@link #DEFAULT_JWKS_TIMEOUT}).
     *
     * @param url JWKS URL
     * @return key source
     */
    static KeySource jwks(URI url) {
        return jwks(url, DEFAULT_JWKS_REFRESH, DEFAULT_JWKS_MIN_REFETCH, DEFAULT_JWKS_TIMEOUT, InstantSource.system());
    }

    /**
     * Keys from a JWKS URL (RFC 7517), fetched and cached by Nimbus's {@code JWKSourceBuilder}: fetched on first use,
     * again after {@code refresh}, and again when a token names an unknown {@code kid}; at most two fetches per
     * {@code minRefetch}. When the endpoint fails the last keys stay in use for up to ten times {@code refresh}; with no
     * keys at all, {@link #keys()} throws {@link KeysUnavailableException}. Only signature keys ({@code use} absent or
     * {@code sig}) of type RSA and EC are taken; a JWK's {@code alg} pins its algorithm.
     *
     * @param url        JWKS URL, http(s); redirects are not followed
     * @param refresh    how long fetched keys are used before the next fetch
     * @param minRefetch rate limit interval, shorter than {@code refresh}
     * @param timeout    connect and read timeout of one fetch
     * @param clock      time source of the cache and the rate limit
     * @return key source
     * @throws SecurityConfigException if the URL is not http(s) or {@code minRefetch} is not shorter than {@code refresh}
     */
    static KeySource jwks(URI url, Duration refresh, Duration minRefetch, Duration timeout, InstantSource clock) {
        return new JwksKeySource(url, refresh, minRefetch, timeout, clock);
    }

    /**
     * All keys of several sources. A source without keys ({@link KeysUnavailableException}) is skipped while another
     * offers keys for the token; with none offered, the failure is passed on.
     *
     * @param sources sources, asked in order
     * @return key source
     */
    static KeySource all(List<KeySource> sources) {
        if (sources.size() == 1) {
            // the usual case: no list built per request to hold one source's keys
            return sources.getFirst();
        }
        List<KeySource> copy = List.copyOf(sources);
        return new KeySource() {
            @Override
            public List<VerificationKey> keys() {
                return collect(KeySource::keys);
            }

            @Override
            public List<VerificationKey> keys(String keyId) {
                return collect(source -> source.keys(keyId));
            }

            private List<VerificationKey> collect(Function<KeySource, List<VerificationKey>> ask) {
                List<VerificationKey> keys = new ArrayList<>();
                @Nullable KeysUnavailableException unavailable = null;
                for (KeySource source : copy) {
                    try {
                        keys.addAll(ask.apply(source));
                    } catch (KeysUnavailableException e) {
                        unavailable = e;
                    }
                }
                if (keys.isEmpty() && unavailable != null) {
                    throw unavailable;
                }
                return keys;
            }
        };
    }

    /**
     * The keys configured under {@code security.jwt}: the inline {@code hmac-secret} (development and tests only),
     * {@code public-keys} and {@code jwks-url}.
     *
     * @param jwt JWT configuration
     * @return key source
     */
    static KeySource create(JwtConfig jwt) {
        return create(jwt, Optional::empty);
    }

    /**
     * The keys configured under {@code security.jwt}, with the HMAC secret read from a supplier (the secret store).
     * The supplier wins over an inline {@code hmac-secret} whenever it has a value. HMAC keys are used only when no
     * public key and no JWKS is configured, or with {@code allow-hmac-with-public-keys}; a secret the supplier no
     * longer has stops verifying at once.
     *
     * @param jwt        JWT configuration
     * @param hmacSecret current HMAC secret, e.g. {@code () -> secrets.get("jwt-signing-key")}
     * @return key source
     */
    static KeySource create(JwtConfig jwt, Supplier<Optional<String>> hmacSecret) {
        List<KeySource> sources = new ArrayList<>();
        Optional<String> inline = jwt.hmacSecret();
        if (jwt.hmacEnabled()) {
            sources.add(hmac(() -> hmacSecret.get().or(() -> inline)));
        } else if (hmacSecret.get().isPresent()) {
            LoggerFactory.getLogger(KeySource.class).warn("The JWT HMAC signing key in the secret store is ignored: public"
                    + " keys or a JWKS verify tokens (set security.jwt.allow-hmac-with-public-keys: true to accept both)");
        }
        if (!jwt.publicKeys().isEmpty()) {
            sources.add(of(jwt.publicKeys().stream().map(k -> VerificationKey.pem(k.keyId(), k.pem())).toList()));
        }
        jwt.jwksUrl().ifPresent(url -> sources.add(jwks(url, jwt.jwksRefresh(), jwt.jwksMinRefetch(), jwt.jwksTimeout(),
                                                        InstantSource.system())));
        return all(sources);
    }
}
