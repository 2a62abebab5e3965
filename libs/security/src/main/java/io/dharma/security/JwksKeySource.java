package io.dharma.security;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.Key;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.events.Event;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a JWKS URL. Fetching, caching, rate limiting and outage tolerance are Nimbus's
 * ({@link JWKSourceBuilder} over a {@link DefaultResourceRetriever}); this class turns the JWK set into
 * {@link VerificationKey}s (once per set), asks for a refetch when a token names an unknown {@code kid}, and throws
 * {@link KeysUnavailableException} when no key set is known at all.
 */
final class JwksKeySource implements KeySource {
    private static final Logger LOGGER = LoggerFactory.getLogger(JwksKeySource.class);
    // a JWKS is a few KB; anything much larger is not a key set
    private static final int MAX_BYTES = 512 * 1024;
    private static final int MAX_KEYS = 100;
    // how long the last keys outlive a failing endpoint, in cache lifetimes (the builder's own default factor)
    private static final int OUTAGE_LIFETIMES = 10;
    // only signature keys of the types VerificationKey accepts; symmetric keys never come from a URL
    private static final JWKSelector USABLE = new JWKSelector(new JWKMatcher.Builder()
                                                                      .keyTypes(KeyType.RSA, KeyType.EC)
                                                                      .keyUses(KeyUse.SIGNATURE, null)
                                                                      .build());

    // configuration
    private final URI url;
    private final InstantSource clock;
    private final Duration retryAfter;
    private final JWKSetSource<SecurityContext> source;

    // runtime: the last set Nimbus handed out and its keys, so a set is converted once, not per request
    private volatile Converted converted = Converted.NONE;

    JwksKeySource(URI url, Duration refresh, Duration minRefetch, Duration timeout, InstantSource clock) {
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new SecurityConfigException("security.jwt.jwks-url must be an http(s) URL: " + url);
        }
        if (minRefetch.compareTo(refresh) >= 0) {
            throw new SecurityConfigException("security.jwt.jwks-min-refetch (" + minRefetch
                                                      + ") must be shorter than security.jwt.jwks-refresh (" + refresh + ")");
        }
        if ("http".equals(url.getScheme()) && !isLoopback(url.getHost())) {
            LOGGER.warn("security.jwt.jwks-url {} is plain HTTP: keys fetched over it can be replaced in transit; use https",
                        url);
        }
        this.url = url;
        this.clock = clock;
        this.retryAfter = minRefetch.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : minRefetch;
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        JWKSource<SecurityContext> built = JWKSourceBuilder.<SecurityContext>create(toUrl(url), new Retriever(timeoutMillis))
                .cache(refresh.toMillis(), timeout.toMillis() * 2)
                // no refresh-ahead: at 10.4 it runs on a platform thread per source that nothing would stop; the request
                // that finds the cache expired fetches, those arriving meanwhile wait for it (at most twice the timeout)
                .refreshAheadCache(false)
                .rateLimited(minRefetch.toMillis(), event -> LOGGER.debug("JWKS fetch from {} skipped: at most two per {}",
                                                                          url, minRefetch))
                .outageTolerant(refresh.toMillis() * OUTAGE_LIFETIMES, this::outage)
                .build();
        // the builder wraps its chain in a source that reads the system clock; the chain itself takes the time as an
        // argument, so it runs on ours
        if (!(built instanceof JWKSetBasedJWKSource<SecurityContext> based)) {
            throw new IllegalStateException("JWKSourceBuilder built a " + built.getClass().getName());
        }
        this.source = based.getJWKSetSource();
    }

    @Override
    public List<VerificationKey> keys() {
        return load(JWKSetCacheRefreshEvaluator.noRefresh(), Converted.NONE).keys();
    }

    @Override
    public List<VerificationKey> keys(String keyId) {
        Converted now = load(JWKSetCacheRefreshEvaluator.noRefresh(), Converted.NONE);
        List<VerificationKey> matching = now.matching(keyId);
        if (!matching.isEmpty() || now.set() == null) {
            return matching;
        }
        // a key id we do not know: the issuer may have rotated its keys, fetch again unless this set is newer
        // already or the rate limit says no; either way the keys in hand still answer
        return load(JWKSetCacheRefreshEvaluator.referenceComparison(now.set()), now).matching(keyId);
    }

    /**
     * The current set from Nimbus's chain, converted.
     *
     * @param evaluator whether the cached set must be replaced
     * @param fallback  keys to answer with if the chain fails; {@link Converted#NONE} for none
     */
    private Converted load(JWKSetCacheRefreshEvaluator evaluator, Converted fallback) {
        JWKSet set;
        try {
            set = source.getJWKSet(evaluator, clock.millis(), null);
        } catch (RateLimitReachedException e) {
            // fetched twice within jwks-min-refetch: the last set is as fresh as it gets
            return usable(converted.set() != null ? converted : fallback, e);
        } catch (KeySourceException e) {
            // the endpoint failed and the outage cache holds nothing (first fetch, or a longer outage)
            converted = Converted.NONE;
            LOGGER.warn("Fetching the JWKS from {} failed ({}); {}", url, e.getMessage(),
                        fallback.set() == null ? "no keys are known" : "the keys in hand answer this request");
            return usable(fallback, e);
        }
        Converted last = converted;
        if (last.set() == set) {
            return last;
        }
        Converted fresh = new Converted(set, verificationKeys(set));
        converted = fresh;
        LOGGER.debug("Using {} keys from {}", fresh.keys().size(), url);
        return fresh;
    }

    private Converted usable(Converted keys, KeySourceException cause) {
        if (keys.set() == null) {
            throw new KeysUnavailableException("No keys from " + url + ": " + cause.getMessage(), retryAfter, cause);
        }
        return keys;
    }

    private void outage(Event<OutageTolerantJWKSetSource<SecurityContext>, SecurityContext> event) {
        if (event instanceof OutageTolerantJWKSetSource.OutageEvent<SecurityContext> outage) {
            LOGGER.warn("Fetching the JWKS from {} failed ({}); the last keys stay in use for at most {}", url,
                        outage.getException().getMessage(), Duration.ofMillis(outage.getRemainingTime()));
        }
    }

    /** The usable keys of a set: RSA and EC signature keys, each pinned to its {@code alg} if it names one. */
    static List<VerificationKey> verificationKeys(JWKSet set) {
        List<JWK> usable = USABLE.select(set);
        if (usable.size() > MAX_KEYS) {
            LOGGER.warn("The JWKS has more than {} usable keys; the rest are ignored", MAX_KEYS);
            usable = usable.subList(0, MAX_KEYS);
        }
        List<VerificationKey> keys = new ArrayList<>(usable.size());
        for (JWK jwk : usable) {
            try {
                Key key = jwk instanceof RSAKey rsa ? rsa.toRSAPublicKey() : ((ECKey) jwk).toECPublicKey();
                VerificationKey verificationKey = jwk.getKeyID() == null ? VerificationKey.of(key)
                        : VerificationKey.of(jwk.getKeyID(), key);
                keys.add(jwk.getAlgorithm() == null ? verificationKey
                                 : verificationKey.restrictTo(jwk.getAlgorithm().getName()));
            } catch (JOSEException | SecurityConfigException e) {
                LOGGER.warn("JWK {} is ignored: {}", jwk.getKeyID(), e.getMessage());
            }
        }
        return List.copyOf(keys);
    }

    private static URL toUrl(URI url) {
        try {
            return url.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new SecurityConfigException("security.jwt.jwks-url is not a URL: " + url, e);
        }
    }

    private static boolean isLoopback(@Nullable String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }

    /**
     * A set Nimbus handed out and its verification keys.
     *
     * @param set  the set, null for none
     * @param keys its usable keys
     */
    private record Converted(@Nullable JWKSet set, List<VerificationKey> keys) {
        static final Converted NONE = new Converted(null, List.of());

        List<VerificationKey> matching(String keyId) {
            return keys.stream().filter(key -> key.matches(keyId)).toList();
        }
    }

    /** Nimbus's retriever with {@code jwks-timeout} for connect and read, a size limit, and no redirects. */
    private static final class Retriever extends DefaultResourceRetriever {
        Retriever(int timeoutMillis) {
            super(timeoutMillis, timeoutMillis, MAX_BYTES);
            setHeaders(Map.of("Accept", List.of("application/jwk-set+json, application/json")));
        }

        @Override
        protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
            HttpURLConnection connection = super.openHTTPConnection(url);
            // the configured URL is trusted, wherever it might redirect to is not
            connection.setInstanceFollowRedirects(false);
            return connection;
        }
    }
}
