package io.dharma.data;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The database contract on embedded H2 in PostgreSQL mode (the default of a service with no {@code db.url}).
 */
class DatabaseH2Test extends AbstractDatabaseTest {
    @Override
    Map<String, String> settings() {
        return Map.of("db.url", "jdbc:h2:mem:database-h2-test;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                              + "DEFAULT_NULL_ORDERING=HIGH",
                      "db.pool.name", "h2-test");
    }

    @Override
    String unreachableUrl() {
        return "jdbc:h2:tcp://127.0.0.1:1/mem:nowhere";
    }

    @Override
    String vendor() {
        return "h2";
    }

    @Test
    void withoutUrlTheServiceGetsAMigratedInMemoryH2() {
        try (Database embedded = Database.create(Config.empty().get("db"), "embedded-default")) {
            assertThat(embedded.vendor(), is("h2"));
            embedded.migrate(); // no db/embedded-default folders: nothing to apply, and no failure
            assertThat(embedded.readinessCheck().call().status(), is(HealthCheckResponse.Status.UP));
        }
    }

    @Test
    void withoutUrlTheDefaultLocationsResolveTheServiceAndVendorFolders() {
        try (Database embedded = Database.create(Config.empty().get("db"), SERVICE)) {
            embedded.migrate();
            long tables = embedded.execute(ex -> ex.get("SELECT COUNT(*) AS n FROM information_schema.tables "
                                                                + "WHERE table_name IN ('blueprints', 'blueprint_resources')"))
                    .orElseThrow().column("n").get(Number.class).longValue();
            assertThat(tables, is(2L));
            long nameIndex = embedded.execute(ex -> ex.get("SELECT COUNT(*) AS n FROM information_schema.indexes "
                                                                   + "WHERE index_name = 'blueprints_name_idx'"))
                    .orElseThrow().column("n").get(Number.class).longValue();
            assertThat(nameIndex, is(1L));
        }
    }
}
