package io.dharma.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh schema on the real PostgreSQL for one test class, dropped afterwards. Register it as a static field:
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresSchema POSTGRES = PostgresSchema.create();
 * }</pre>
 * The server defaults to {@code jdbc:postgresql://127.0.0.1:5432/test} as user {@code postgres}; override with the
 * environment variables {@code TEST_PG_URL}, {@code TEST_PG_USER} and {@code TEST_PG_PASSWORD}.
 */
public final class PostgresSchema implements BeforeAllCallback, AfterAllCallback {
    static final String URL_VARIABLE = "TEST_PG_URL";
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    private PostgresSchema() {
        this.url = env(URL_VARIABLE, DEFAULT_URL);
        this.user = env("TEST_PG_USER", "postgres");
        this.password = env("TEST_PG_PASSWORD", "");
        this.schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    }

    /**
     * Create the extension; the schema name is random.
     *
     * @return extension
     */
    public static PostgresSchema create() {
        return new PostgresSchema();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        run("CREATE SCHEMA " + schema);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        run("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /**
     * Name of this class's schema.
     *
     * @return schema name
     */
    public String schema() {
        return schema;
    }

    /**
     * JDBC URL of the server.
     *
     * @return url
     */
    public String url() {
        return url;
    }

    /**
     * The {@code db} configuration that points a Dharma service at this schema.
     *
     * @return flat config keys, e.g. {@code db.url}
     */
    public Map<String, String> dbConfig() {
        return Map.of("db.url", url, "db.user", user, "db.password", password, "db.schema", schema);
    }

    /**
     * Open a connection with this schema as the search path (close it).
     *
     * @return connection
     * @throws SQLException if the server is unreachable
     */
    public Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, user, password);
        connection.setSchema(schema);
        return connection;
    }

    private void run(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
