package io.dharma.security;

import java.io.IOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * {@code minRefetch}; a failed fetch keeps the cached keys. Fetches run on the calling (virtual) thread, one at a time;
 * while one runs, requests that have keys in hand do not wait for it (a refresh) and requests that need it do (the
 * first fetch, an unknown kid), at most twice the timeout.
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
        if ("http".equals(url.getScheme()) && !isLoopback(url.getHost())) {
            LOGGER.warn("security.jwt.jwks-url {} is plain HTTP: keys fetched over it can be replaced in transit; use https",
                        url);
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
        return match(fetchIf(s -> s.mayAttempt(clock.instant(), minRefetch), true), keyId);
    }

    private State current() {
        State now = state;
        if (now.isFresh(clock.instant(), refresh)) {
            return now;
        }
        // with keys in hand, nobody waits for a refresh another request is already doing
        return fetchIf(s -> !s.isFresh(clock.instant(), refresh) && s.mayAttempt(clock.instant(), minRefetch),
                       now.keys().isEmpty());
    }

    private static List<VerificationKey> match(State state, String keyId) {
        return state.keys().stream().filter(key -> key.matches(keyId)).toList();
    }

    private State fetchIf(Predicate<State> needed, boolean wait) {
        if (wait) {
            fetchLock.lock();
        } else if (!fetchLock.tryLock()) {
            return state;
        }
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
        // the request timeout ends at the response headers; the deadline bounds the body too
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = future.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException("no complete answer within " + timeout.multipliedBy(2));
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        if (response.body().length > MAX_BYTES) {
            throw new IOException("JWKS larger than " + MAX_BYTES + " bytes");
        }
        return parse(new String(response.body(), StandardCharsets.UTF_8));
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
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
