package io.dharma.services.blueprint;

import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The default policies as blueprint-service ships them (application.yaml), with the free tier made small: the user
 * limit follows the token's tier, allowed answers carry the IETF headers, the 429 names the policy, probes are exempt.
 */
class RateLimitTest {
    private static final String KEY = Tokens.randomSecret();
    private static final Tokens TOKENS = Tokens.hmac(KEY);
    private static DharmaService service;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        service = TestServices.start(Map.of(
                "security.jwt.hmac-secret", KEY,
                "rate-limit.policies.user.capacity", "3"));
        client = HttpTestClient.create(service.port());
    }

    @AfterAll
    static void stop() {
        service.stop();
    }

    @Test
    void freeTierIsLimitedAndAnswers429WithHeaders() {
        String free = "Bearer " + TOKENS.valid("free-user", List.of(), "free");
        Response first = client.get("/api/v1/blueprints", "Authorization", free);
        assertThat(first.status(), is(200));
        assertThat(first.header("RateLimit-Policy").orElseThrow(), is("\"ip\";q=100;w=900, \"user\";q=3;w=3600"));
        assertThat(first.header("RateLimit").orElseThrow().contains("\"user\";r=2;"), is(true));
        client.get("/api/v1/blueprints", "Authorization", free);
        client.get("/api/v1/blueprints", "Authorization", free);
        Response denied = client.get("/api/v1/blueprints", "Authorization", free);
        JsonObject problem = assertProblem(denied, 429, "RATE_LIMIT_EXCEEDED");
        assertThat(problem.getString("policy"), is("user"));
        assertThat(Integer.parseInt(denied.header("Retry-After").orElseThrow()), is(problem.getInt("retryAfter")));
        assertThat(denied.header("X-Frame-Options").orElse(""), is("DENY"));
    }

    @Test
    void enterpriseTierGetsItsOwnCapacity() {
        String enterprise = "Bearer " + TOKENS.valid("big-customer", List.of(), "enterprise");
        for (int i = 0; i < 5; i++) {
            assertThat(client.get("/api/v1/blueprints", "Authorization", enterprise).status(), is(200));
        }
        assertThat(client.get("/api/v1/blueprints", "Authorization", enterprise).header("RateLimit-Policy").orElseThrow()
                           .contains("\"user\";q=10000;w=3600"), is(true));
    }

    @Test
    void probesAreNeverLimited() {
        for (int i = 0; i < 120; i++) {
            assertThat(HttpTestClient.create(service.managementPort()).get("/health/live").status(), is(200));
        }
        assertThat(HttpTestClient.create(service.managementPort()).get("/health/ready").body(), HttpTestClient.create(service.managementPort()).get("/health/ready").status(), is(200));
    }
}
