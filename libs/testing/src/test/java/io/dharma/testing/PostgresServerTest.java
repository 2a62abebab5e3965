package io.dharma.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.dharma.testing.RequiresServices.Service.POSTGRES_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

@RequiresServices(POSTGRES_BINARIES)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PostgresServerTest {
    private static PostgresServer postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.start();
        postgres.createRole("app", "first");
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void roleNeedsItsCurrentPassword() throws SQLException {
        try (Connection ignored = connect("first")) {
            assertThrows(SQLException.class, () -> connect("wrong").close());
            postgres.password("app", "second");
            assertThrows(SQLException.class, () -> connect("first").close());
            try (Connection connection = connect("second")) {
                assertThat(connection.isValid(1), is(true));
            }
        } finally {
            postgres.password("app", "first");
        }
    }

    @Test
    void committedRowsSurviveKillAndRestart() throws SQLException {
        try (Connection connection = connect("first"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS crash (id int PRIMARY KEY)");
            statement.execute("INSERT INTO crash VALUES (1)");
        }
        postgres.kill();
        assertThat(postgres.isRunning(), is(false));
        assertThrows(SQLException.class, () -> connect("first").close());
        postgres.restart();
        try (Connection connection = connect("first"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM crash WHERE id = 1")) {
            rows.next();
            assertThat(rows.getInt(1), is(1));
        }
    }

    private static Connection connect(String password) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl("app"), "app", password);
    }
}
