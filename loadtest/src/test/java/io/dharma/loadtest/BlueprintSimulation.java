package io.dharma.loadtest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The blueprint API's read/write mix in the open model: every second {@code rate} new users arrive, each creates a
 * blueprint, reads it (plain and conditional), lists the first keyset page of its blueprints and follows its
 * {@code nextCursor} once, lists its active blueprints ({@code reads} times, default once), replaces the blueprint with
 * {@code If-Match}, and one in ten deletes it: 7 to 9 requests per user with one read round.
 * <p>
 * Every route needs a bearer token. Each user acts as one of {@code owners} subjects ({@code load-0} ...), with an
 * HS256 token signed here with {@code signingKey} (default: the environment variable {@code SECRET_JWT_SIGNING_KEY},
 * the key the service verifies with), carrying {@code iss}/{@code aud} when {@code issuer}/{@code audience} are set;
 * or every user sends the ready-made {@code token}.
 * <p>
 * System properties (defaults in brackets): {@code baseUrl} [http://localhost:8080], {@code rate} new users per
 * second [20], {@code duration} seconds of arrivals [30], {@code p99Ms} the 99th-percentile response-time budget in
 * milliseconds [500], {@code owners} distinct subjects [20], {@code reads} rounds of reads per user [1], {@code signingKey}, {@code token}, {@code issuer},
 * {@code audience}.
 * <p>
 * Assertions: no failed request, and the global 99th percentile under {@code p99Ms}. The service's default rate limits
 * (100 requests per 15 minutes per IP) stop a load test from one machine within a second: start the service with higher
 * capacities, e.g. {@code RATE_dash_LIMIT_POLICIES_IP_CAPACITY=100000000 RATE_dash_LIMIT_POLICIES_USER_CAPACITY=100000000}.
 */
public class BlueprintSimulation extends Simulation {
    private static final String BASE_URL = System.getProperty("baseUrl", "http://localhost:8080");
    private static final double RATE = Double.parseDouble(System.getProperty("rate", "20"));
    private static final int DURATION = Integer.getInteger("duration", 30);
    private static final int P99_MS = Integer.getInteger("p99Ms", 500);
    private static final int OWNERS = Integer.getInteger("owners", 20);
    private static final int READS = Integer.getInteger("reads", 1);
    private static final String TOKEN = System.getProperty("token", "");
    private static final String SIGNING_KEY = System.getProperty("signingKey",
                                                                 System.getenv().getOrDefault("SECRET_JWT_SIGNING_KEY", ""));
    private static final String ISSUER = System.getProperty("issuer", "");
    private static final String AUDIENCE = System.getProperty("audience", "");
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String[] CLOUDS = {"aws", "azure", "gcp"};
    private static final String PATH = "/api/v1/blueprints";

    private static final HttpProtocolBuilder PROTOCOL = http.baseUrl(BASE_URL)
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .userAgentHeader("dharma-loadtest")
            .authorizationHeader("Bearer #{token}")
            // conditional requests are explicit steps here; Gatling's own HTTP cache would turn plain GETs into 304s
            .disableCaching();

    /** One owner (token subject), name and cloud per user; few owners, so their lists have several pages. */
    private static final Iterator<Map<String, Object>> USERS = Stream.generate(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String owner = "load-" + random.nextInt(OWNERS);
        return Map.<String, Object>of("owner", owner,
                                      "token", TOKEN.isEmpty() ? hs256(owner) : TOKEN,
                                      "name", "bp-" + UUID.randomUUID(),
                                      "cloud", CLOUDS[random.nextInt(CLOUDS.length)]);
    }).iterator();

    private static final String BODY = """
            {"name":"#{name}","description":"created by BlueprintSimulation","targetCloud":"#{cloud}",\
            "status":"%s","resources":[{"type":"vm","size":"small","count":2,"region":"eu-west-1"},\
            {"type":"bucket","size":"standard","count":1,"region":"eu-west-1"}]}""";

    private static final ChainBuilder CREATE = exec(
            http("create").post(PATH)
                    .body(StringBody(BODY.formatted("draft")))
                    .check(status().is(201),
                           jsonPath("$.id").saveAs("id"),
                           header("ETag").saveAs("etag")));

    private static final ChainBuilder GET = exec(
            http("get").get(PATH + "/#{id}")
                    .check(status().is(200), header("ETag").is(session -> session.getString("etag"))),
            http("get if-none-match").get(PATH + "/#{id}")
                    .header("If-None-Match", "#{etag}")
                    .check(status().is(304)));

    private static final ChainBuilder LIST = exec(session -> session.remove("cursor")).exec(
            http("list first page").get(PATH)
                    .queryParam("limit", "5")
                    .check(status().is(200),
                           jsonPath("$.data[0].id").exists(),
                           jsonPath("$.page.nextCursor").optional().saveAs("cursor")),
            doIf(session -> session.contains("cursor")).then(
                    exec(http("list next page").get(PATH)
                                 .queryParam("limit", "5")
                                 .queryParam("cursor", "#{cursor}")
                                 .check(status().is(200), jsonPath("$.data[0].id").exists()))),
            http("list active").get(PATH)
                    .queryParam("status", "active")
                    .queryParam("limit", "10")
                    .check(status().is(200)));

    private static final ChainBuilder UPDATE = exec(
            http("update").put(PATH + "/#{id}")
                    .header("If-Match", "#{etag}")
                    .body(StringBody(BODY.formatted("active")))
                    .check(status().is(200), header("ETag").saveAs("etag")));

    private static final ChainBuilder MAYBE_DELETE = randomSwitch().on(
            percent(10.0).then(exec(http("delete").delete(PATH + "/#{id}").check(status().is(204)))));

    private static final ScenarioBuilder BLUEPRINTS = scenario("blueprints")
            .feed(USERS)
            .exec(CREATE)
            .repeat(READS).on(exec(GET, LIST))
            .exec(UPDATE, MAYBE_DELETE);

    {
        if (TOKEN.isEmpty() && SIGNING_KEY.isEmpty()) {
            throw new IllegalStateException("Every route needs a bearer token: pass -DsigningKey=<the service's "
                                                    + "SECRET_JWT_SIGNING_KEY> (or export it), or -Dtoken=<jwt>");
        }
        setUp(BLUEPRINTS.injectOpen(constantUsersPerSec(RATE).during(Duration.ofSeconds(DURATION))))
                .protocols(PROTOCOL)
                // bounded even if the service stalls: arrivals stop after `duration`, stragglers get one more minute
                .maxDuration(Duration.ofSeconds(DURATION + 60L))
                .assertions(global().failedRequests().percent().is(0.0),
                            global().responseTime().percentile(99.0).lt(P99_MS));
    }

    /** A compact HS256 JWT for a subject, as the service's HMAC verifier expects it (the key's UTF-8 bytes). */
    private static String hs256(String subject) {
        long now = Instant.now().getEpochSecond();
        StringBuilder claims = new StringBuilder("{\"sub\":\"").append(subject).append('"')
                .append(",\"iat\":").append(now)
                .append(",\"exp\":").append(now + TOKEN_LIFETIME.toSeconds());
        if (!ISSUER.isEmpty()) {
            claims.append(",\"iss\":\"").append(ISSUER).append('"');
        }
        if (!AUDIENCE.isEmpty()) {
            claims.append(",\"aud\":\"").append(AUDIENCE).append('"');
        }
        String input = base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64(claims.append('}').toString());
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
