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
import java.util.function.IntPredicate;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Load;
import io.dharma.testing.PostgresServer;
import io.dharma.testing.RequiresServices;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.dharma.testing.RequiresServices.Service.POSTGRES_BINARIES;
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
@RequiresServices(POSTGRES_BINARIES)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DatabaseCrashIT {
    private static final int WRITERS = 8;
    private static final IntPredicate CREATED = status -> status == 201;
    private static final IntPredicate REFUSED = status -> status == 503;
    private static final IntPredicate FAILED = CREATED.or(REFUSED).negate();
    private static final Duration PROBE_WAIT = Duration.ofSeconds(60);

    @Test
    void crashUnderWriteLoadLosesNoAcknowledgedWriteAndRecoversWithoutRestart(@TempDir Path secretsDir) throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            DharmaService service = start(postgres, secretsDir, "crash-test-pw-1");
            try {
                HttpTestClient api = HttpTestClient.create(service.port());
                HttpTestClient management = HttpTestClient.create(service.managementPort());
                assertThat(awaitReadiness(management, 200), is(true));

                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                AtomicLong sequence = new AtomicLong();
                String bearer = AbstractBlueprintServiceTest.bearer("crash-writer");
                Load load = Load.start(WRITERS, Duration.ZERO,
                                       (worker, n) -> write(api, bearer, sequence.incrementAndGet(), acknowledged));
                load.await(150, CREATED, Duration.ofSeconds(60));

                long beforeKill = load.count(CREATED);
                long killed = System.nanoTime();
                postgres.kill();
                boolean down = awaitReadiness(management, 503);
                long detected = System.nanoTime();
                // keep the outage long enough for writers to meet it
                long outageEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < outageEnd) {
                    Thread.sleep(50);
                }
                long refusedDuringOutage = load.count(REFUSED);

                postgres.restart();
                long restarted = System.nanoTime();
                boolean up = awaitReadiness(management, 200);
                long ready = System.nanoTime();
                long afterRestart = load.count(CREATED);
                load.await(afterRestart + 150, CREATED, Duration.ofSeconds(60));
                load.stop();

                Set<String> stored = storedIds(postgres);
                Set<String> lost = new HashSet<>(acknowledged);
                lost.removeAll(stored);
                System.out.printf("PostgreSQL SIGKILL under write load: %d requests sent, %d acknowledged (%d before the kill), "
                                          + "%d answered 503, %d failed, %d lost; readiness DOWN %d ms after the kill, "
                                          + "UP %d ms after the restart (%d ms outage in all)%n",
                                  load.sent(), acknowledged.size(), beforeKill, load.count(REFUSED), load.count(FAILED), lost.size(),
                                  TimeUnit.NANOSECONDS.toMillis(detected - killed),
                                  TimeUnit.NANOSECONDS.toMillis(ready - restarted),
                                  TimeUnit.NANOSECONDS.toMillis(ready - killed));

                assertThat("readiness went DOWN", down, is(true));
                assertThat("readiness came back UP without a restart of the service", up, is(true));
                assertThat("requests that were neither 201 nor a 503 problem: " + load.failures(), load.count(FAILED), is(0L));
                assertThat("writes refused with 503 during the outage", refusedDuringOutage, greaterThan(0L));
                assertThat("acknowledged writes", (long) acknowledged.size(), is(load.count(CREATED)));
                assertThat("acknowledged writes missing after the restart: " + lost, lost.size(), is(0));
            } finally {
                service.stop();
            }
        }
    }

    @Test
    void passwordRotationUnderWriteLoadFailsNoRequest(@TempDir Path secretsDir) throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            DharmaService service = start(postgres, secretsDir, "rotation-pw-1");
            try {
                HttpTestClient api = HttpTestClient.create(service.port());
                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                AtomicLong sequence = new AtomicLong();
                String bearer = AbstractBlueprintServiceTest.bearer("rotation-writer");
                Load load = Load.start(WRITERS, Duration.ZERO,
                                       (worker, n) -> write(api, bearer, sequence.incrementAndGet(), acknowledged));
                load.await(100, CREATED, Duration.ofSeconds(60));

                long before = backends(postgres, "backend_start < now()");
                postgres.password("blueprints", "rotation-pw-2");
                long rotated = System.nanoTime();
                writeSecret(secretsDir, "rotation-pw-2");
                // the service's secrets refresh picks the file up; every connection opened with the old password retires
                long deadline = rotated + TimeUnit.SECONDS.toNanos(30);
                long retiredAfter = -1;
                while (System.nanoTime() < deadline && retiredAfter < 0) {
                    if (backends(postgres, "backend_start < to_timestamp(" + epochSeconds(rotated) + ")") == 0) {
                        retiredAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rotated);
                    }
                    Thread.sleep(50);
                }
                load.await(load.count(CREATED) + 100, CREATED, Duration.ofSeconds(60));
                load.stop();

                Set<String> lost = new HashSet<>(acknowledged);
                lost.removeAll(storedIds(postgres));
                System.out.printf("blueprint-service database password rotation under write load: %d requests sent, "
                                          + "%d acknowledged, %d refused, %d failed, %d lost; %d connections before, old "
                                          + "ones retired %d ms after the secret changed%n",
                                  load.sent(), acknowledged.size(), load.count(REFUSED), load.count(FAILED), lost.size(), before,
                                  retiredAfter);
                assertThat("every connection opened with the old password retired", retiredAfter, greaterThan(-1L));
                assertThat("requests that were not 201: " + load.failures(), load.count(FAILED) + load.count(REFUSED), is(0L));
                assertThat("acknowledged writes missing: " + lost, lost.size(), is(0));
            } finally {
                service.stop();
            }
        }
    }

    /** blueprint-service on the private PostgreSQL, its password in the secret file {@code db-password}. */
    private static DharmaService start(PostgresServer postgres, Path secretsDir, String password) throws IOException {
        postgres.createRole("blueprints", password);
        writeSecret(secretsDir, password);
        return TestServices.start(Map.of(
                "secrets.sources", "files",
                "secrets.files.directory", secretsDir.toString(),
                "secrets.refresh-interval", "PT0.2S",
                "db.url", postgres.jdbcUrl("blueprints"),
                "db.user", "blueprints",
                "db.pool.max-size", "6",
                "db.pool.connection-timeout", "PT1S",
                "rate-limit.enabled", "false"), AbstractBlueprintServiceTest.SIGNING_KEY);
    }

    /** Sessions of the service's role whose start matches a condition. */
    private static long backends(PostgresServer postgres, String condition) throws SQLException {
        try (Connection connection = postgres.admin(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = 'blueprints' AND "
                                                             + condition)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** A System.nanoTime() instant as epoch seconds (with fractions) on the wall clock the server shares. */
    private static String epochSeconds(long nanoTime) {
        long wallMicros = System.currentTimeMillis() * 1000 - (System.nanoTime() - nanoTime) / 1000;
        return wallMicros / 1_000_000 + "." + String.format("%06d", wallMicros % 1_000_000);
    }

    /** One write: 201 is acknowledged (its id remembered), a 503 problem with Retry-After is a clean refusal. */
    private static int write(HttpTestClient api, String bearer, long n, Set<String> acknowledged) {
        Response response = api.json("POST", "/api/v1/blueprints", AbstractBlueprintServiceTest.body("crash-" + n, "aws"),
                                      "Authorization", bearer);
        if (response.status() == 201) {
            acknowledged.add(response.json().getString("id"));
            return 201;
        }
        boolean problem = response.header("Content-Type").orElse("").startsWith("application/problem+json");
        if (response.status() == 503 && problem && response.header("Retry-After").isPresent()) {
            return 503;
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
