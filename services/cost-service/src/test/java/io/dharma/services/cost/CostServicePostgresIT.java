package io.dharma.services.cost;

import io.dharma.testing.PostgresSchema;
import io.dharma.testing.RequiresServices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.dharma.testing.RequiresServices.Service.POSTGRES;

/**
 * The estimate API on the real PostgreSQL, in a schema of its own ({@code TEST_PG_URL}, {@code TEST_PG_USER},
 * {@code TEST_PG_PASSWORD}; default {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres}).
 */
@RequiresServices(POSTGRES)
class CostServicePostgresIT extends AbstractCostServiceTest {
    @RegisterExtension
    static final PostgresSchema POSTGRES = PostgresSchema.create();

    @BeforeAll
    static void startOnPostgres() {
        start(POSTGRES.dbConfig());
    }
}
