package io.dharma.data;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;

import org.junit.jupiter.api.Test;

import static io.dharma.data.Blueprints.config;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatabaseConfigTest {
    @Test
    void defaultsAreAnEmbeddedH2AndAPoolSizedByProcessors() {
        DatabaseConfig config = DatabaseConfig.create(Config.empty().get("db"), "blueprint-service");
        int max = 2 * Runtime.getRuntime().availableProcessors();
        assertThat(config.url(), is("jdbc:h2:mem:blueprint-service;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;"
                                            + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"));
        assertThat(config.vendor(), is("h2"));
        assertThat(config.maxPoolSize(), is(max));
        assertThat(config.minIdle(), is(max));
        assertThat(config.maxConcurrency(), is(max));
        assertThat(config.connectionTimeout(), is(Duration.ofSeconds(2)));
        assertThat(config.acquireTimeout(), is(Duration.ofSeconds(1)));
        assertThat(config.poolName(), is("blueprint-service"));
        assertThat(config.migrationsEnabled(), is(true));
        assertThat(config.migrationLocations(), is(List.of("classpath:db/blueprint-service/common",
                                                           "classpath:db/blueprint-service/h2")));
        assertThat(config.schema(), is(Optional.empty()));
        assertThat(config.passwordSecret(), is("db-password"));
    }

    @Test
    void vendorPlaceholderFollowsTheUrl() {
        DatabaseConfig config = DatabaseConfig.create(config(Map.of("db.url", "jdbc:postgresql://db:5432/app",
                                                                    "db.max-concurrency", "3",
                                                                    "db.pool.max-size", "8")), "svc");
        assertThat(config.vendor(), is("postgresql"));
        assertThat(config.maxConcurrency(), is(3));
        assertThat(config.migrationLocations(), is(List.of("classpath:db/svc/common", "classpath:db/svc/postgresql")));
    }

    @Test
    void locationsAcceptACommaSeparatedValueAsFromTheEnvironment() {
        DatabaseConfig config = DatabaseConfig.create(
                config(Map.of("db.migrations.locations", "classpath:a/{vendor}, filesystem:/b")), "svc");
        assertThat(config.migrationLocations(), is(List.of("classpath:a/h2", "filesystem:/b")));
    }

    @Test
    void h2WithASchemaCreatesItWhenConnecting() {
        DatabaseConfig config = DatabaseConfig.create(config(Map.of("db.schema", "tenant_a")), "svc");
        assertThat(config.url(), containsString(";INIT=CREATE SCHEMA IF NOT EXISTS \"tenant_a\""));
    }

    @Test
    void passwordsAndUrlParametersAreNotPrinted() {
        DatabaseConfig config = DatabaseConfig.create(
                config(Map.of("db.url", "jdbc:postgresql://db/app?password=secret1", "db.password", "secret2")), "svc");
        assertThat(config.toString(), not(containsString("secret")));
        assertThat(config.toString(), startsWith("DatabaseConfig[url=jdbc:postgresql://db/app,"));
    }

    @Test
    void invalidValuesAreConfigurationErrors() {
        assertThrows(DataException.class, () -> DatabaseConfig.create(config(Map.of("db.schema", "Robert'); DROP")), "svc"));
        assertThrows(DataException.class, () -> DatabaseConfig.create(config(Map.of("db.url", "postgres://x")), "svc"));
        assertThrows(DataException.class, () -> DatabaseConfig.create(config(Map.of("db.pool.max-size", "0")), "svc"));
        assertThrows(DataException.class, () -> DatabaseConfig.create(config(Map.of("db.pool.max-size", "1")), "svc"));
        assertThat(DatabaseConfig.create(config(Map.of("db.pool.max-size", "1", "db.migrations.enabled", "false")), "svc")
                           .maxPoolSize(), is(1));
        assertThrows(DataException.class, () -> DatabaseConfig.create(
                config(Map.of("db.pool.connection-timeout", "PT0.1S")), "svc"));
        assertThrows(DataException.class, () -> DatabaseConfig.create(config(Map.of("db.acquire-timeout", "1s")), "svc"));
        assertThrows(DataException.class, () -> DatabaseConfig.create(Config.empty(), "../etc"));
    }
}
