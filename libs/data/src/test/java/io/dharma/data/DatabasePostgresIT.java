package io.dharma.data;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.dharma.testing.RequiresServices;

import org.junit.jupiter.api.Test;

import static io.dharma.testing.RequiresServices.Service.POSTGRES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The database contract on the machine's PostgreSQL (127.0.0.1:5432, database {@code test}, user {@code postgres};
 * {@code TEST_PG_URL} and {@code TEST_PG_USER} override),
 * in a schema of its own that {@link Database#migrate()} creates and this class drops.
 */
@RequiresServices(POSTGRES)
class DatabasePostgresIT extends AbstractDatabaseTest {
    // the server of every PostgreSQL test (io.dharma.testing.PostgresSchema), which @RequiresServices checks
    private static final String URL = Objects.requireNonNullElse(System.getenv("TEST_PG_URL"),
                                                                 "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = Objects.requireNonNullElse(System.getenv("TEST_PG_USER"), "postgres");
    private final String schema = "data_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .toLowerCase(Locale.ROOT);

    @Override
    Map<String, String> settings() {
        return Map.of("db.url", URL, "db.user", USER, "db.schema", schema, "db.pool.max-size", "4",
                      "db.pool.name", "postgres-it");
    }

    @Override
    String unreachableUrl() {
        return "jdbc:postgresql://127.0.0.1:1/test";
    }

    @Override
    String vendor() {
        return "postgresql";
    }

    @Override
    void cleanUp() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void migrateCreatesTheConfiguredSchemaAndMigratesIntoIt() {
        assertThat(count("SELECT COUNT(*) AS n FROM information_schema.schemata WHERE schema_name = ?", schema), is(1L));
        assertThat(count("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? "
                                 + "AND table_name IN ('blueprints', 'blueprint_resources', 'flyway_schema_history')", schema),
                   is(3L));
        assertThat(count("SELECT COUNT(*) AS n FROM pg_indexes WHERE schemaname = ? AND indexname = 'blueprints_name_fts_idx'",
                         schema),
                   is(1L));
    }
}
