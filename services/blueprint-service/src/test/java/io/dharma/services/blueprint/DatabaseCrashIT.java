package io.dharma.services.blueprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.PostgresServer;
import io.dharma.testing.RequestLoad;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * PostgreSQL crashes under a write load: blueprint-service runs on a private PostgreSQL (its password from the secret
 * store), which is killed with SIGKILL (postmaster and every backend) while writers create blueprints, then restarted
 * on the same data directory and port. The service is not restarted. Readiness must go DOWN, then UP again by itself;
 * requests during the outage must get 503 problems with Retry-After, never a 500; and every write acknowledged with
 * 201 before, during or after the crash must be in the database afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DatabaseCrashIT {
    private static final int WRITERS = 8;
    private static final Duration PROBE_WAIT = Duration.ofSeconds(60);

    @Test
    void crashUnderWriteLoadLosesNoAcknowledgedWriteAndRecoversWithoutRestart(@TempDir Path secretsDir) throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            postgres.createRole("blueprints", "crash-test-pw-1");
            writeSecret(secretsDir, "crash-test-pw-1");
            DharmaService service = TestServices.start(Map.of(
                    "secrets.sources", "files",
                    "secrets.files.directory", secretsDir.toString(),
                    "db.url", postgres.jdbcUrl("blueprints"),
                    "db.user", "blueprints",
                    "db.pool.max-size", "6",
                    "db.pool.connection-timeout", "PT1S",
                    "rate-limit.enabled", "false"), AbstractBlueprintServiceTest.SIGNING_KEY);
            try {
                HttpTestClient api = HttpTestClient.create(service.port());
                HttpTestClient management = HttpTestClient.create(service.managementPort());
                assertThat(awaitReadiness(management, 200), is(true));

                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                AtomicLong sequence = new AtomicLong();
                String bearer = AbstractBlueprintServiceTest.bearer("crash-writer");
                RequestLoad load = RequestLoad.start(WRITERS, () -> write(api, bearer, sequence.incrementAndGet(), acknowledged));
                load.awaitAcknowledged(150, Duration.ofSeconds(60));

                long beforeKill = load.acknowledged();
                long killed = System.nanoTime();
                postgres.kill();
                boolean down = awaitReadiness(management, 503);
                long detected = System.nanoTime();
                // keep the outage long enough for writers to meet it
                long outageEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < outageEnd) {
                    Thread.sleep(50);
                }
                long refusedDuringOutage = load.refused();

                postgres.restart();
                long restarted = System.nanoTime();
                boolean up = awaitReadiness(management, 200);
                long ready = System.nanoTime();
                long afterRestart = load.acknowledged();
                load.awaitAcknowledged(afterRestart + 150, Duration.ofSeconds(60));
                load.stop();

                Set<String> stored = storedIds(postgres);
                Set<String> lost = new HashSet<>(acknowledged);
                lost.removeAll(stored);
                System.out.printf("PostgreSQL SIGKILL under write load: %d requests sent, %d acknowledged (%d before the kill), "
                                          + "%d answered 503, %d failed, %d lost; readiness DOWN %d ms after the kill, "
                                          + "UP %d ms after the restart (%d ms outage in all)%n",
                                  load.sent(), acknowledged.size(), beforeKill, load.refused(), load.failed(), lost.size(),
                                  TimeUnit.NANOSECONDS.toMillis(detected - killed),
                                  TimeUnit.NANOSECONDS.toMillis(ready - restarted),
                                  TimeUnit.NANOSECONDS.toMillis(ready - killed));

                assertThat("readiness went DOWN", down, is(true));
                assertThat("readiness came back UP without a restart of the service", up, is(true));
                assertThat("requests that were neither 201 nor a 503 problem: " + load.failures(), load.failed(), is(0L));
                assertThat("writes refused with 503 during the outage", refusedDuringOutage, greaterThan(0L));
                assertThat("acknowledged writes", (long) acknowledged.size(), is(load.acknowledged()));
                assertThat("acknowledged writes missing after the restart: " + lost, lost.size(), is(0));
            } finally {
                service.stop();
            }
        }
    }

    /** One write: 201 is acknowledged (its id remembered), a 503 problem with Retry-After is a clean refusal. */
    private static RequestLoad.Outcome write(HttpTestClient api, String bearer, long n, Set<String> acknowledged) {
        Response response = api.json("POST", "/api/v1/blueprints", AbstractBlueprintServiceTest.body("crash-" + n, "aws"),
                                      "Authorization", bearer);
        if (response.status() == 201) {
            acknowledged.add(response.json().getString("id"));
            return RequestLoad.Outcome.ACKNOWLEDGED;
        }
        boolean problem = response.header("Content-Type").orElse("").startsWith("application/problem+json");
        if (response.status() == 503 && problem && response.header("Retry-After").isPresent()) {
            return RequestLoad.Outcome.REFUSED;
        }
        throw new AssertionError(response.status() + " " + response.header("Content-Type").orElse("") + " " + response.body());
    }

    private static boolean awaitReadiness(HttpTestClient management, int status) throws InterruptedException {
        long deadline = System.nanoTime() + PROBE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (management.get("/health/ready").status() == status) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static Set<String> storedIds(PostgresServer postgres) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("blueprints"), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM blueprints")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static void writeSecret(Path dir, String value) throws IOException {
        Files.writeString(dir.resolve("db-password"), value + "\n");
    }
}
