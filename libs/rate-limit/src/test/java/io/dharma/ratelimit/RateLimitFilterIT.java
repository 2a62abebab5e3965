package io.dharma.ratelimit;

import java.net.ServerSocket;
import java.time.InstantSource;
import java.util.Optional;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.RedisServer;
import io.dharma.testing.RequiresServices;

import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Filter behaviour that needs its own configuration: draft-6 headers, no trusted proxies, a fail-closed policy whose
 * Redis is down. Each test starts its own server.
 */
class RateLimitFilterIT {
    @Test
    void draft6HeadersOnAllowedAndDeniedResponses() throws Exception {
        try (Server server = Server.start("""
                rate-limit:
                  headers: draft6
                  policies:
                    ip: {key: ip, capacity: 2, period: PT10S}
                """)) {
            Response allowed = server.client().get("/anon/hello");
            assertThat(allowed.status(), is(200));
            assertThat(allowed.header("RateLimit-Limit").orElseThrow(), is("2"));
            assertThat(allowed.header("RateLimit-Remaining").orElseThrow(), is("1"));
            assertThat(allowed.header("RateLimit-Reset").orElseThrow(), is("5"));
            assertThat(allowed.header("RateLimit").isPresent(), is(false));
            server.client().get("/anon/hello");
            Response denied = server.client().get("/anon/hello");
            assertProblem(denied, 429, "RATE_LIMIT_EXCEEDED");
            assertThat(denied.header("RateLimit-Remaining").orElseThrow(), is("0"));
            assertThat(denied.header("Retry-After").orElseThrow(), is("5"));
        }
    }

    @Test
    void spoofedForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        try (Server server = Server.start("""
                rate-limit:
                  policies:
                    ip: {key: ip, capacity: 3, period: PT1M}
                """)) {
            for (int i = 0; i < 3; i++) {
                assertThat(server.client().get("/anon/hello", "X-Forwarded-For", "203.0.113." + i,
                                               "Forwarded", "for=198.51.100." + i).status(), is(200));
            }
            assertThat(server.client().get("/anon/hello", "X-Forwarded-For", "203.0.113.99").status(), is(429));
        }
    }

    @Test
    void failClosedPolicyAnswers503WhileRedisIsDown() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        try (Server server = Server.start("""
                rate-limit:
                  redis:
                    url: redis://127.0.0.1:%d
                  policies:
                    ip: {key: ip, capacity: 100, period: PT1M, failure: closed}
                """.formatted(deadPort))) {
            Response response = server.client().get("/anon/hello");
            assertThat(assertProblem(response, 503, "SERVICE_UNAVAILABLE").getString("detail"), containsString("'ip'"));
            assertThat(Long.parseLong(response.header("Retry-After").orElseThrow()) >= 1, is(true));
            assertThat(server.limits().degraded(), is(true));
        }
    }

    @Test
    @RequiresServices(REDIS_BINARIES)
    void everyRequestIsDecidedInOneRoundTripAndBadTokensFillTheDenialCache() throws Exception {
        try (RedisServer redis = RedisServer.start();
             Server server = Server.start("""
                     rate-limit:
                       redis:
                         url: %s
                         timeout: PT2S       # round trips are counted here, not fallbacks of a loaded machine
                       policies:
                         ip: {key: ip, capacity: 30, period: PT1H}
                         user: {key: user, capacity: 100, period: PT1H}
                         expensive: {key: user, capacity: 5, period: PT1H}
                       routes:
                         - {path: "/api/v1/blueprints/{id}/cost", methods: [GET], policies: [expensive], cost: 2}
                     """.formatted(redis.url()))) {
            String token = Routes.bearer("one-trip-user", "free");
            server.client().get("/api/hello", "Authorization", Routes.bearer("warm-up", "free"));  // loads the script
            long before = redis.commandCalls("evalsha");
            for (int i = 0; i < 10; i++) {
                Response response = server.client().get("/api/hello", "Authorization", token);
                assertThat(response.status(), is(200));
                assertThat(response.header("RateLimit").orElseThrow(), containsString("\"user\";r=" + (99 - i)));
            }
            Response expensive = server.client().get("/api/v1/blueprints/7/cost", "Authorization", token);
            // remaining units are exact; the seconds until reset (t) move with the clock of a loaded machine
            assertThat(expensive.header("RateLimit").orElseThrow().replaceAll(";t=\\d+", ""),
                       is("\"ip\";r=18, \"user\";r=88, \"expensive\";r=3"));
            assertThat("ip + user (+ route) in one EVALSHA per request", redis.commandCalls("evalsha") - before, is(11L));

            // 18 units left: each refused token spends one after its 401; the 19th is refused by Redis, which the
            // denial cache remembers
            for (int i = 0; i < 19; i++) {
                assertProblem(server.client().get("/api/hello", "Authorization", "Bearer forged"), 401, "INVALID_TOKEN");
            }
            // the 19th's charge is made after its answer: a request sent at once may still be decided by Redis (401);
            // once that charge is back, the denial is known
            int settling = server.client().get("/api/hello", "Authorization", "Bearer forged").status();
            assertThat(settling == 401 || settling == 429, is(true));
            long beforeDenials = redis.commandCalls("evalsha");
            for (int i = 0; i < 20; i++) {
                assertProblem(server.client().get("/api/hello", "Authorization", "Bearer forged"),
                              429, "RATE_LIMIT_EXCEEDED");
            }
            assertThat("refused before authentication without a round trip", redis.commandCalls("evalsha") - beforeDenials,
                       is(0L));
        }
    }

    private record Server(WebServer webServer, RateLimiting limits) implements AutoCloseable {
        static Server start(String yaml) {
            RateLimiting limits = RateLimiting.create(Fixtures.config(yaml), Optional.empty(), InstantSource.system());
            WebServer server = WebServer.builder()
                    .port(0)
                    .host("127.0.0.1")
                    .routing(routing -> Routes.routing(routing, limits))
                    .build()
                    .start();
            return new Server(server, limits);
        }

        HttpTestClient client() {
            return HttpTestClient.create(webServer.port());
        }

        @Override
        public void close() {
            webServer.stop();
            limits.close();
        }
    }
}
