package io.dharma.ratelimit;

import java.net.URI;
import java.time.InstantSource;
import java.util.Optional;

import jakarta.json.JsonObject;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Both filters on a real server (in-process backend, IETF headers), behind a trusted proxy at 127.0.0.0/8 so every
 * test is its own client through {@code X-Forwarded-For}.
 */
@ServerTest
class RateLimitFilterTest {
    static final RateLimiting LIMITS = RateLimiting.create(Fixtures.config("""
            rate-limit:
              headers: ietf
              trusted-proxies: [127.0.0.0/8, "::1"]
              policies:
                ip: {key: ip, capacity: 5, period: PT1M}
                user: {key: user, period: PT1H, per-tier: {free: 2, enterprise: 4}}
                expensive: {key: user, capacity: 3, period: PT1H}
              routes:
                - {path: "/api/v1/blueprints/{id}/cost", methods: [GET], policies: [expensive], cost: 1}
            """), Optional.empty(), InstantSource.system());

    private final HttpTestClient client;

    RateLimitFilterTest(URI uri) {
        this.client = HttpTestClient.create(uri.getPort());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        Routes.routing(routing, LIMITS);
    }

    @Test
    void allowedResponseCarriesIetfHeaders() {
        Response response = client.get("/anon/hello", "X-Forwarded-For", "198.51.100.1");
        assertThat(response.status(), is(200));
        assertThat(response.header("RateLimit-Policy").orElseThrow(), is("\"ip\";q=5;w=60"));
        assertThat(response.header("RateLimit").orElseThrow(), is("\"ip\";r=4;t=12"));
    }

    @Test
    void ipLimitAnswers429Problem() {
        for (int i = 0; i < 5; i++) {
            assertThat(client.get("/anon/hello", "X-Forwarded-For", "198.51.100.2").status(), is(200));
        }
        Response denied = client.get("/anon/hello", "X-Forwarded-For", "198.51.100.2");
        JsonObject problem = assertProblem(denied, 429, "RATE_LIMIT_EXCEEDED");
        assertThat(problem.getString("detail"), containsString("'ip'"));
        assertThat(problem.getInt("retryAfter"), is(12));
        assertThat(problem.getString("policy"), is("ip"));
        assertThat(denied.header("Retry-After").orElseThrow(), is("12"));
        assertThat(denied.header("RateLimit").orElseThrow(), is("\"ip\";r=0;t=60"));
    }

    @Test
    void trustedProxyHopsAreSkippedFromTheRight() {
        for (int i = 0; i < 5; i++) {
            Response response = client.get("/anon/hello", "X-Forwarded-For", "10.9.9.9, 198.51.100.3, 127.0.0.5");
            assertThat(response.status(), is(200));
        }
        assertThat("the right-most untrusted address is the client",
                   client.get("/anon/hello", "X-Forwarded-For", "198.51.100.3").status(), is(429));
        // a client-supplied Forwarded header next to the proxy's X-Forwarded-For no longer buys a fresh bucket
        for (int i = 0; i < 3; i++) {
            assertThat(client.get("/anon/hello", "X-Forwarded-For", "198.51.100.3",
                                  "Forwarded", "for=203.0.113." + i + ";proto=https").status(), is(429));
        }
        assertThat(client.get("/anon/hello", "X-Forwarded-For", "198.51.100.4").status(), is(200));
    }

    @Test
    void ipv6ClientsShareTheirSlash64() {
        for (int i = 0; i < 5; i++) {
            assertThat(client.get("/anon/hello", "X-Forwarded-For", "2001:db8:1:2::" + (i + 1)).status(), is(200));
        }
        assertThat(client.get("/anon/hello", "X-Forwarded-For", "2001:db8:1:2:ffff::9").status(), is(429));
        assertThat(client.get("/anon/hello", "X-Forwarded-For", "[2001:db8:1:3::1]:443").status(), is(200));
    }

    @Test
    void tierDecidesTheUserLimit() {
        String free = Routes.bearer("free-user", "free");
        String enterprise = Routes.bearer("enterprise-user", "enterprise");
        for (int i = 0; i < 4; i++) {
            Response freeResponse = client.get("/api/hello", "Authorization", free, "X-Forwarded-For", "192.0.2." + i);
            assertThat(freeResponse.status(), is(i < 2 ? 200 : 429));
            Response enterpriseResponse = client.get("/api/hello", "Authorization", enterprise,
                                                     "X-Forwarded-For", "192.0.2." + (100 + i));
            assertThat(enterpriseResponse.status(), is(200));
            if (i == 0) {
                assertThat(enterpriseResponse.header("RateLimit-Policy").orElseThrow(),
                           is("\"ip\";q=5;w=60, \"user\";q=4;w=3600"));
                assertThat(enterpriseResponse.header("RateLimit").orElseThrow(),
                           is("\"ip\";r=4;t=12, \"user\";r=3;t=900"));
            }
        }
        Response denied = client.get("/api/hello", "Authorization", free, "X-Forwarded-For", "192.0.2.50");
        assertThat(assertProblem(denied, 429, "RATE_LIMIT_EXCEEDED").getString("detail"), containsString("'user'"));
    }

    @Test
    void expensiveRouteHasItsOwnPolicy() {
        String token = Routes.bearer("expensive-user", "enterprise");
        for (int i = 0; i < 3; i++) {
            Response response = client.get("/api/v1/blueprints/" + i + "/cost", "Authorization", token,
                                            "X-Forwarded-For", "192.0.2." + (200 + i));
            assertThat(response.status(), is(200));
            assertThat(response.header("RateLimit").orElseThrow(), containsString("\"expensive\";r=" + (2 - i)));
        }
        Response denied = client.get("/api/v1/blueprints/9/cost", "Authorization", token,
                                     "X-Forwarded-For", "192.0.2.210");
        assertThat(assertProblem(denied, 429, "RATE_LIMIT_EXCEEDED").getString("detail"), containsString("'expensive'"));
        assertThat("other routes are not limited by it",
                   client.get("/api/hello", "Authorization", token, "X-Forwarded-For", "192.0.2.211").status(), is(200));
        for (int i = 0; i < 3; i++) {
            assertThat("anonymous callers are keyed by IP",
                       client.get("/api/v1/blueprints/1/cost", "X-Forwarded-For", "192.0.2.220").status(), is(200));
        }
        assertThat(client.get("/api/v1/blueprints/1/cost", "X-Forwarded-For", "192.0.2.220").status(), is(429));
    }

    @Test
    void headersSurviveAnErrorResponse() {
        Response response = client.get("/api/boom", "X-Forwarded-For", "198.51.100.9");
        assertProblem(response, 500, "INTERNAL_ERROR");
        assertThat(response.header("RateLimit").orElseThrow(), is("\"ip\";r=4;t=12"));
    }

    @Test
    void requestsRefusedByAuthenticationStillSpendTheIpLimit() {
        for (int i = 0; i < 5; i++) {
            Response refused = client.get("/api/hello", "Authorization", "Bearer not-a-token",
                                          "X-Forwarded-For", "198.51.100.20");
            assertProblem(refused, 401, "INVALID_TOKEN");
        }
        Response limited = client.get("/api/hello", "Authorization", "Bearer not-a-token",
                                      "X-Forwarded-For", "198.51.100.20");
        assertThat("refused before authentication", assertProblem(limited, 429, "RATE_LIMIT_EXCEEDED")
                .getString("policy"), is("ip"));
        assertThat("a valid token from that address is limited too",
                   client.get("/api/hello", "Authorization", Routes.bearer("good-user", "enterprise"),
                              "X-Forwarded-For", "198.51.100.20").status(), is(429));
    }
}
