package io.dharma.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a JWKS URL, cached with a refresh interval; an unknown {@code kid} triggers a refetch at most once per
 * {@code minRefetch}; a failed fetch keeps the cached keys. Fetches run on the calling (virtual) thread, one at a time.
 */
final class JwksKeySource implements KeySource {
    private static final Logger LOGGER = LoggerFactory.getLogger(JwksKeySource.class);
    // a JWKS is a few KB; anything much larger is not a key set
    private static final int MAX_BYTES = 512 * 1024;
    private static final int MAX_KEYS = 100;

    // configuration
    private final URI url;
    private final Duration refresh;
    private final Duration minRefetch;
    private final Duration timeout;
    private final InstantSource clock;
    private final HttpClient client;

    // runtime: one immutable snapshot, replaced under the lock
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile State state = new State(List.of(), null, null);

    JwksKeySource(URI url, Duration refresh, Duration minRefetch, Duration timeout, InstantSource clock) {
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("security.jwt.jwks-url must be an http(s) URL: " + url);
        }
        this.url = url;
        this.refresh = refresh;
        this.minRefetch = minRefetch;
        this.timeout = timeout;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public List<VerificationKey> keys() {
        return current().keys();
    }

    @Override
    public List<VerificationKey> keys(String keyId) {
        List<VerificationKey> matching = match(current(), keyId);
        if (!matching.isEmpty()) {
            return matching;
        }
        // a key id we do not know: the issuer may have rotated its keys, fetch again (rate-limited)
        return match(fetchIf(s -> s.mayAttempt(clock.instant(), minRefetch)), keyId);
    }

    private State current() {
        State now = state;
        return now.isFresh(clock.instant(), refresh) ? now : fetchIf(s -> !s.isFresh(clock.instant(), refresh)
                && s.mayAttempt(clock.instant(), minRefetch));
    }

    private static List<VerificationKey> match(State state, String keyId) {
        return state.keys().stream().filter(key -> key.matches(keyId)).toList();
    }

    private State fetchIf(Predicate<State> needed) {
        fetchLock.lock();
        try {
            // another request may have fetched while this one waited
            State seen = state;
            if (!needed.test(seen)) {
                return seen;
            }
            Instant attempt = clock.instant();
            try {
                List<VerificationKey> keys = fetch();
                state = new State(keys, attempt, attempt);
                LOGGER.debug("Fetched {} keys from {}", keys.size(), url);
            } catch (IOException | RuntimeException e) {
                state = new State(seen.keys(), seen.fetchedAt(), attempt);
                LOGGER.warn("Fetching the JWKS from {} failed ({}); keeping {} cached keys", url, e.toString(),
                            seen.keys().size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                state = new State(seen.keys(), seen.fetchedAt(), attempt);
            }
            return state;
        } finally {
            fetchLock.unlock();
        }
    }

    private List<VerificationKey> fetch() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("JWKS larger than " + MAX_BYTES + " bytes");
            }
            return parse(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    static List<VerificationKey> parse(String json) throws IOException {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (java.text.ParseException e) {
            throw new IOException("Not a JWK set: " + e.getMessage(), e);
        }
        List<VerificationKey> keys = new ArrayList<>();
        for (JWK jwk : set.getKeys()) {
            if (keys.size() == MAX_KEYS) {
                LOGGER.warn("The JWKS has more than {} keys; the rest are ignored", MAX_KEYS);
                break;
            }
            if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
                continue;
            }
            try {
                Key key = switch (jwk) {
                    case RSAKey rsa -> rsa.toRSAPublicKey();
                    case ECKey ec -> ec.toECPublicKey();
                    // symmetric keys never come from a URL; OKP (EdDSA) is not supported
                    default -> null;
                };
                if (key == null) {
                    continue;
                }
                VerificationKey verificationKey = jwk.getKeyID() == null ? VerificationKey.of(key)
                        : VerificationKey.of(jwk.getKeyID(), key);
                keys.add(jwk.getAlgorithm() == null ? verificationKey
                                 : verificationKey.restrictTo(jwk.getAlgorithm().getName()));
            } catch (JOSEException | IllegalArgumentException e) {
                LOGGER.warn("JWK {} is ignored: {}", jwk.getKeyID(), e.getMessage());
            }
        }
        return List.copyOf(keys);
    }

    /**
     * @param keys        the keys in use
     * @param fetchedAt   when they were fetched, null before the first success
     * @param attemptedAt when a fetch was last tried, null before the first try
     */
    private record State(List<VerificationKey> keys, @Nullable Instant fetchedAt, @Nullable Instant attemptedAt) {
        boolean isFresh(Instant now, Duration refresh) {
            return fetchedAt != null && now.isBefore(fetchedAt.plus(refresh));
        }

        boolean mayAttempt(Instant now, Duration minRefetch) {
            return attemptedAt == null || !now.isBefore(attemptedAt.plus(minRefetch));
        }
    }
}
