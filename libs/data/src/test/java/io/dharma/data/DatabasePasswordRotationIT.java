package io.dharma.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import io.dharma.secrets.Secrets;
import io.dharma.testing.Load;
import io.dharma.testing.PostgresServer;
import io.dharma.testing.RequiresServices;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.dharma.testing.RequiresServices.Service.POSTGRES_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * The database password rotated while requests run: a private PostgreSQL whose role gets a new password
 * ({@code ALTER ROLE ... PASSWORD}), then the secret file is updated; the secret store's refresh hands the new value to
 * {@link Database#rotatePassword(String)}. No request may fail, nothing written may be lost, and every connection
 * opened with the old password must be retired (HikariCP soft eviction) and replaced by one opened with the new one.
 * Without the new password new connections are refused; without the eviction the old sessions live on.
 */
@RequiresServices(POSTGRES_BINARIES)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DatabasePasswordRotationIT {
    private static final int WORKERS = 6;
    private static final IntPredicate ACKNOWLEDGED = status -> status == Load.DONE;
    private static final long RETIRE_WAIT_MILLIS = 20_000;
    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
        postgres.createRole("app", "pw-1-initial");
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void rotationUnderLoadFailsNoRequestAndRetiresEveryOldConnection(@TempDir Path secretsDir) throws Exception {
        Files.writeString(secretsDir.resolve("db-password"), "pw-1-initial\n");
        Config root = Config.just(ConfigSources.create(Map.of(
                "secrets.sources", "files",
                "secrets.files.directory", secretsDir.toString(),
                "secrets.refresh-interval", "PT0.2S",
                "db.url", postgres.jdbcUrl("app"),
                "db.user", "app",
                "db.pool.max-size", "4",
                "db.pool.connection-timeout", "PT5S",
                "db.acquire-timeout", "PT10S",
                "db.migrations.enabled", "false")));
        try (Secrets secrets = Secrets.create(root.get("secrets"));
             Database database = Database.create(root.get("db"), "rotation-it", secrets::get)) {
            secrets.onChange(database.passwordSecret(), database::rotatePassword);
            database.execute(exec -> exec.dml("CREATE TABLE writes (id bigserial PRIMARY KEY)"));

            Load load = Load.start(WORKERS, Duration.ZERO, (worker, n) -> {
                database.execute(exec -> exec.dml("INSERT INTO writes DEFAULT VALUES"));
                return Load.DONE;
            });
            load.await(200, ACKNOWLEDGED, Duration.ofSeconds(60));
            long first = rotate(secretsDir, "pw-2-rotated");
            load.await(load.count(ACKNOWLEDGED) + 200, ACKNOWLEDGED, Duration.ofSeconds(60));
            long second = rotate(secretsDir, "pw-3-rotated-again");
            load.await(load.count(ACKNOWLEDGED) + 200, ACKNOWLEDGED, Duration.ofSeconds(60));
            load.stop();
            long acknowledged = load.count(ACKNOWLEDGED);
            long failed = load.count(ACKNOWLEDGED.negate());

            long stored = database.execute(exec -> exec.query("SELECT count(*) AS n FROM writes")
                    .map(row -> row.column("n").getLong()).findFirst().orElseThrow());
            System.out.printf("password rotation under load: %d requests sent, %d failed, %d acknowledged, %d stored, "
                                      + "old connections retired in %d ms and %d ms%n",
                              load.sent(), failed, acknowledged, stored, first, second);
            assertThat("failed requests: " + load.failures(), failed, is(0L));
            assertThat("acknowledged writes lost", acknowledged - stored, is(0L));
            assertThat(acknowledged, greaterThan(600L));
        }
    }

    /** Change the role's password, then the secret; wait until no session opened before remains. */
    private static long rotate(Path secretsDir, String password) throws IOException, SQLException, InterruptedException {
        Timestamp before = serverNow();
        postgres.password("app", password);
        long start = System.nanoTime();
        Files.writeString(secretsDir.resolve("db-password"), password + "\n");
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(RETIRE_WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (sessions("backend_start < ?", before) == 0 && sessions("backend_start >= ?", before) > 0) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(50);
        }
        assertThat("sessions of the role opened before the rotation", sessions("backend_start < ?", before), is(0L));
        assertThat("sessions opened with the new password", sessions("backend_start >= ?", before), greaterThan(0L));
        return RETIRE_WAIT_MILLIS;
    }

    private static Timestamp serverNow() throws SQLException {
        try (Connection admin = postgres.admin(); PreparedStatement statement = admin.prepareStatement("SELECT now()");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getTimestamp(1);
        }
    }

    private static long sessions(String condition, Timestamp at) throws SQLException {
        try (Connection admin = postgres.admin();
             PreparedStatement statement = admin.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE usename = 'app' AND " + condition)) {
            statement.setTimestamp(1, at);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
