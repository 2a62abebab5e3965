package io.dharma.loadtest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * What every simulation here shares: system properties, bearer tokens, the HTTP protocol, the 429 check and the
 * per-request assertions.
 * <p>
 * Tokens: every user sends the ready-made {@code token} when it is set; otherwise an HS256 token per subject, signed
 * here with {@code signingKey} (default: the environment variable {@code SECRET_JWT_SIGNING_KEY}, the key the service
 * verifies with), carrying {@code iss}/{@code aud} when {@code issuer}/{@code audience} are set.
 */
final class SimulationSupport {
    /** The request name of the answer that must be a 429. */
    static final String OVER_LIMIT = "429 over limit";
    /** The request name of the requests that use the limit up. */
    static final String WITHIN_LIMIT = "within limit";

    private static final String TOKEN = System.getProperty("token", "");
    private static final String SIGNING_KEY = System.getProperty("signingKey",
                                                                 System.getenv().getOrDefault("SECRET_JWT_SIGNING_KEY", ""));
    private static final String ISSUER = System.getProperty("issuer", "");
    private static final String AUDIENCE = System.getProperty("audience", "");
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private SimulationSupport() {
    }

    static String property(String name, String fallback) {
        return System.getProperty(name, fallback);
    }

    static double number(String name, double fallback) {
        return Double.parseDouble(System.getProperty(name, Double.toString(fallback)));
    }

    /** Fails the simulation's construction when no token can be sent. */
    static void requireTokens() {
        if (TOKEN.isEmpty() && SIGNING_KEY.isEmpty()) {
            throw new IllegalStateException("Every route needs a bearer token: pass -DsigningKey=<the service's "
                                                    + "SECRET_JWT_SIGNING_KEY> (or export it), or -Dtoken=<jwt>");
        }
    }

    /** The bearer token of a subject: {@code token} if given, else one signed here. */
    static String token(String subject) {
        return TOKEN.isEmpty() ? hs256(subject, "", SIGNING_KEY) : TOKEN;
    }

    /** A token of a subject with a {@code tier} claim (the rate limiter's per-tier capacity applies). */
    static String tierToken(String subject, String tier) {
        return hs256(subject, tier, SIGNING_KEY);
    }

    /** A well-formed token signed with a key the service does not know: the service must answer 401. */
    static String foreignToken(String subject) {
        return hs256(subject, "", "not-the-key-of-the-service-0123456789abcdef");
    }

    /** JSON in and out, the token of the session's {@code token}, no HTTP cache (conditional requests are explicit). */
    static HttpProtocolBuilder protocol(String baseUrl) {
        return http.baseUrl(baseUrl)
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .userAgentHeader("dharma-loadtest")
                .authorizationHeader("Bearer #{token}")
                .disableCaching();
    }

    /**
     * The 429 check: sends {@code request} (named {@link #WITHIN_LIMIT}, answering {@code ok} or 429) until the first
     * 429, at most {@code maxRequests} times, then once more as {@link #OVER_LIMIT}, which must be a 429 with
     * {@code Retry-After}, {@code RateLimit} and {@code RateLimit-Policy}, as application/problem+json.
     */
    static ChainBuilder exceedLimit(Function<String, HttpRequestActionBuilder> request, int ok, int maxRequests) {
        return exec(session -> session.set("limited", false))
                .asLongAs(session -> !session.getBoolean("limited") && session.getInt("probe") < maxRequests, "probe").on(
                        exec(request.apply(WITHIN_LIMIT).check(status().in(ok, 429).saveAs("status")))
                                .exec(session -> session.set("limited", session.getInt("status") == 429)))
                .exec(request.apply(OVER_LIMIT).check(status().is(429),
                                                      header("Retry-After").exists(),
                                                      header("RateLimit").exists(),
                                                      header("RateLimit-Policy").exists(),
                                                      header("Content-Type").is("application/problem+json")));
    }

    /** Per request name: 99th percentile at most {@code p99Ms} and at most {@code koPercent} failed. */
    static List<Assertion> perRequest(double p99Ms, double koPercent, String... names) {
        List<Assertion> assertions = new ArrayList<>();
        for (String name : names) {
            assertions.add(details(name).responseTime().percentile(99.0).lte((int) p99Ms));
            assertions.add(details(name).failedRequests().percent().lte(koPercent));
        }
        return assertions;
    }

    /** The 429 check's assertions: it ran, and every answer was what it must be. */
    static List<Assertion> limitAssertions() {
        return List.of(details(OVER_LIMIT).allRequests().count().gte(1L),
                       details(OVER_LIMIT).failedRequests().count().is(0L),
                       details(WITHIN_LIMIT).failedRequests().count().is(0L));
    }

    /** A compact HS256 JWT, as the service's HMAC verifier expects it (the key's UTF-8 bytes). */
    private static String hs256(String subject, String tier, String key) {
        long now = Instant.now().getEpochSecond();
        StringBuilder claims = new StringBuilder("{\"sub\":\"").append(subject).append('"')
                .append(",\"iat\":").append(now)
                .append(",\"exp\":").append(now + TOKEN_LIFETIME.toSeconds());
        if (!tier.isEmpty()) {
            claims.append(",\"tier\":\"").append(tier).append('"');
        }
        if (!ISSUER.isEmpty()) {
            claims.append(",\"iss\":\"").append(ISSUER).append('"');
        }
        if (!AUDIENCE.isEmpty()) {
            claims.append(",\"aud\":\"").append(AUDIENCE).append('"');
        }
        String input = base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64(claims.append('}').toString());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }

    private static String base64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
