package io.dharma.health;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import io.dharma.testing.FakeClock;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

@ServerTest
class ProbesTest {
    /** Moved past the snapshot's TTL before each test, so each test sees fresh evaluations. */
    private static final FakeClock CLOCK = new FakeClock();
    private static final Probes PROBES = Probes.create(new HealthConfig("/health", Duration.ofMillis(500)), CLOCK::instant);
    private static final Probes QUIET = Probes.create(new HealthConfig("/quiet", Duration.ofMillis(500), Duration.ofSeconds(1),
                                                                       false), CLOCK::instant);
    private static final CountDownLatch BOTH_RUNNING = new CountDownLatch(2);
    private static volatile boolean hang;
    private static volatile boolean databaseUp = true;

    private final Http1Client client;

    ProbesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void route(HttpRouting.Builder routing) {
        // two checks that only pass when they run at the same time: readiness must run checks in parallel
        PROBES.add(check("database", () -> rendezvous() && databaseUp));
        PROBES.add(check("cache", ProbesTest::rendezvous));
        PROBES.add(check("downstream", () -> {
            if (hang) {
                sleep(5_000);
            }
            return true;
        }));
        routing.register("/health", PROBES.httpService());
        QUIET.add(check("database", () -> databaseUp));
        routing.register("/quiet", QUIET.httpService());
    }

    @BeforeEach
    void reset() {
        CLOCK.advance(Duration.ofSeconds(2));
        hang = false;
        databaseUp = true;
        PROBES.markStarted();
    }

    @Test
    void readyRunsChecksInParallelAndReportsEach() {
        JsonObject body = get("/health/ready", Status.OK_200);
        assertThat(body.getString("status"), is("UP"));
        assertThat(check(body, "database").getString("status"), is("UP"));
        assertThat(check(body, "cache").getString("status"), is("UP"));
        assertThat(check(body, "database").containsKey("durationMs"), is(true));
    }

    @Test
    void hangingDependencyIsDownAfterTheTimeout() {
        hang = true;
        JsonObject body = get("/health/ready", Status.SERVICE_UNAVAILABLE_503);
        assertThat(body.getString("status"), is("DOWN"));
        JsonObject downstream = check(body, "downstream");
        assertThat(downstream.getString("status"), is("DOWN"));
        assertThat(downstream.getJsonObject("details").getString("error"), startsWith("timed out"));
        assertThat(check(body, "database").getString("status"), is("UP"));
    }

    @Test
    void failingDependencyMakesReadyDownButNotLive() {
        databaseUp = false;
        assertThat(check(get("/health/ready", Status.SERVICE_UNAVAILABLE_503), "database").getString("status"),
                   is("DOWN"));
        assertThat(get("/health/live", Status.OK_200).getString("status"), is("UP"));
    }

    @Test
    void withoutDetailsTheBodyIsTheStatusOnly() {
        QUIET.markStarted();
        assertThat(get("/quiet/ready", Status.OK_200).toString(), is("{\"status\":\"UP\"}"));
        databaseUp = false;
        CLOCK.advance(Duration.ofSeconds(2));
        assertThat(get("/quiet/ready", Status.SERVICE_UNAVAILABLE_503).toString(), is("{\"status\":\"DOWN\"}"));
    }

    @Test
    void livenessHasOnlyLocalChecks() {
        JsonObject body = get("/health/live", Status.OK_200);
        assertThat(body.getJsonArray("checks").size(), is(1));
        assertThat(check(body, "deadlock").getString("status"), is("UP"));
    }

    @Test
    void zzDrainingTurnsReadyDownAndKeepsLiveUp() {
        Probes probes = Probes.create(new HealthConfig("/h", Duration.ofSeconds(1)), CLOCK::instant);
        probes.markStarted();
        assertThat(probes.run(HealthCheckType.READINESS).stream().allMatch(CheckResult::up), is(true));
        probes.markDraining();
        assertThat(probes.run(HealthCheckType.READINESS).stream().allMatch(CheckResult::up), is(false));
        assertThat(probes.run(HealthCheckType.LIVENESS).stream().allMatch(CheckResult::up), is(true));
    }

    @Test
    void notStartedIsNotReady() {
        Probes probes = Probes.create(new HealthConfig("/h", Duration.ofSeconds(1)), CLOCK::instant);
        assertThat(probes.run(HealthCheckType.STARTUP).stream().allMatch(CheckResult::up), is(false));
        assertThat(probes.run(HealthCheckType.READINESS).stream().allMatch(CheckResult::up), is(false));
        probes.markStarted();
        assertThat(probes.run(HealthCheckType.STARTUP).stream().allMatch(CheckResult::up), is(true));
    }

    private JsonObject get(String path, Status expected) {
        try (Http1ClientResponse res = client.get(path).request()) {
            assertThat(res.status(), is(expected));
            return Json.createReader(new java.io.StringReader(res.as(String.class))).readObject();
        }
    }

    private static JsonObject check(JsonObject body, String name) {
        return body.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + body));
    }

    private static boolean rendezvous() {
        BOTH_RUNNING.countDown();
        try {
            return BOTH_RUNNING.await(400, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HealthCheck check(String name, java.util.function.BooleanSupplier up) {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResponse call() {
                return HealthCheckResponse.builder().status(up.getAsBoolean()).build();
            }
        };
    }
}
