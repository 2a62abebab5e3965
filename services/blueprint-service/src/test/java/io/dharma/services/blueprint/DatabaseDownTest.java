package io.dharma.services.blueprint;

import java.util.Map;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * A database that cannot be reached: API calls answer 503 with Retry-After (never a 500 with internals), readiness is
 * DOWN, liveness stays UP.
 */
class DatabaseDownTest {
    private static DharmaService service;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        // nothing listens on port 1; migrations off so the service starts without its database
        service = TestServices.start(Map.of(
                "db.url", "jdbc:postgresql://127.0.0.1:1/blueprints",
                "db.pool.connection-timeout", "PT0.3S",
                "db.migrations.enabled", "false",
                "security.jwt.hmac-secret", AbstractBlueprintServiceTest.SIGNING_KEY));
        client = HttpTestClient.create(service.port());
    }

    @AfterAll
    static void stop() {
        service.stop();
    }

    @Test
    void readsAndWritesAnswer503WithRetryAfter() {
        String bearer = "Bearer " + AbstractBlueprintServiceTest.TOKENS.valid("user-1");
        Response list = client.get("/api/v1/blueprints", "Authorization", bearer);
        assertProblem(list, 503, "SERVICE_UNAVAILABLE");
        assertThat(list.header("Retry-After").isPresent(), is(true));
        Response create = client.json("POST", "/api/v1/blueprints", AbstractBlueprintServiceTest.body("while-down", "aws"),
                                      "Authorization", bearer);
        assertProblem(create, 503, "SERVICE_UNAVAILABLE");
    }

    @Test
    void readinessIsDownAndLivenessUp() {
        Response ready = HttpTestClient.create(service.managementPort()).get("/health/ready");
        assertThat(ready.status(), is(503));
        assertThat(ready.body(), containsString("\"name\":\"db\",\"status\":\"DOWN\""));
        assertThat(HttpTestClient.create(service.managementPort()).get("/health/live").status(), is(200));
    }
}
