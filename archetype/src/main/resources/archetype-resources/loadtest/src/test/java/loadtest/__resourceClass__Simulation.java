#set( $h = '#' )
#set( $d = '$' )
package ${package}.loadtest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The whole life of a ${resourceName} per virtual user: create, get, conditional get (304), list a page, replace
 * (If-Match) and delete, against a running ${artifactId}.
 * <p>
 * System properties: {@code baseUrl} (default {@code http://localhost:${servicePort}}), {@code rate} (new users per
 * second, default 20), {@code duration} (seconds, default 30), {@code p95} (95th-percentile limit in ms, default 250)
 * and {@code maxFailedPercent} (default 1). The assertions fail the run when a limit is broken.
 * <p>
 * Every request carries a bearer token: {@code token} (one token for every user, e.g. from your identity provider),
 * or else an HS256 token per virtual user, each of its own subject, signed here with {@code signingKey} (default: the
 * environment variable {@code SECRET_JWT_SIGNING_KEY}, the key the service verifies with) and carrying {@code issuer}
 * and {@code audience} when they are set (as the service's {@code security.jwt.issuer} and {@code audience} require).
 */
public class ${resourceClass}Simulation extends Simulation {
    private static final String PATH = "/api/v1/${resourcePlural}";
    private static final String BASE_URL = System.getProperty("baseUrl", "http://localhost:${servicePort}");
    private static final double RATE = Double.parseDouble(System.getProperty("rate", "20"));
    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("duration", 30));
    private static final int P95_MS = Integer.getInteger("p95", 250);
    private static final double MAX_FAILED_PERCENT = Double.parseDouble(System.getProperty("maxFailedPercent", "1"));
    private static final String TOKEN = System.getProperty("token", "");
    private static final String SIGNING_KEY = System.getProperty("signingKey",
                                                                 System.getenv().getOrDefault("SECRET_JWT_SIGNING_KEY", ""));
    private static final String ISSUER = System.getProperty("issuer", "");
    private static final String AUDIENCE = System.getProperty("audience", "");
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .authorizationHeader("Bearer ${h}{token}")
            // conditional requests are explicit steps here; Gatling's own HTTP cache would turn plain GETs into 304s
            .disableCaching();

    private final ScenarioBuilder lifecycle = scenario("${resourceName} lifecycle")
            .exec(session -> session.set("name", "load-" + UUID.randomUUID())
                    .set("token", TOKEN.isEmpty() ? hs256("load-user-" + UUID.randomUUID()) : TOKEN))
            .exec(http("create").post(PATH)
                          .body(StringBody("{\"name\": \"${h}{name}\", \"description\": \"load test\"}"))
                          .check(status().is(201), header("Location").saveAs("location"), header("ETag").saveAs("etag")))
            .exitHereIfFailed()
            .exec(http("get").get("${h}{location}").check(status().is(200)))
            .exec(http("get not modified").get("${h}{location}").header("If-None-Match", "${h}{etag}")
                          .check(status().is(304)))
            .exec(http("list").get(PATH + "?limit=20").check(status().is(200), jsonPath("${d}.data").exists()))
            .exec(http("replace").put("${h}{location}").header("If-Match", "${h}{etag}")
                          .body(StringBody("{\"name\": \"${h}{name}\", \"description\": \"replaced\"}"))
                          .check(status().is(200)))
            .exec(http("delete").delete("${h}{location}").check(status().is(204)));

    {
        if (TOKEN.isEmpty() && SIGNING_KEY.isEmpty()) {
            throw new IllegalStateException("Every route needs a bearer token: pass -Dtoken=<jwt>, or -DsigningKey=<the "
                                                    + "service's SECRET_JWT_SIGNING_KEY> to sign tokens here");
        }
        setUp(lifecycle.injectOpen(constantUsersPerSec(RATE).during(DURATION)))
                .protocols(protocol)
                .assertions(global().failedRequests().percent().lte(MAX_FAILED_PERCENT),
                            global().responseTime().percentile(95.0).lt(P95_MS));
    }

    /** A compact HS256 JWT for a subject, as the service's HMAC verifier expects it (the key's UTF-8 bytes). */
    private static String hs256(String subject) {
        long now = Instant.now().getEpochSecond();
        StringBuilder claims = new StringBuilder("{\"sub\":\"").append(subject).append("\"")
                .append(",\"iat\":").append(now)
                .append(",\"exp\":").append(now + TOKEN_LIFETIME.toSeconds());
        if (!ISSUER.isEmpty()) {
            claims.append(",\"iss\":\"").append(ISSUER).append("\"");
        }
        if (!AUDIENCE.isEmpty()) {
            claims.append(",\"aud\":\"").append(AUDIENCE).append("\"");
        }
        String input = base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64(claims.append("}").toString());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SIGNING_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }

    private static String base64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
