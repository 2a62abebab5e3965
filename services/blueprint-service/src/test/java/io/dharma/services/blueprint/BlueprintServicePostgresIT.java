package io.dharma.services.blueprint;

import io.dharma.testing.PostgresSchema;
import io.dharma.testing.RequiresServices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.dharma.testing.RequiresServices.Service.POSTGRES;

/**
 * The blueprint API on the real PostgreSQL, in a schema of its own.
 */
@RequiresServices(POSTGRES)
class BlueprintServicePostgresIT extends AbstractBlueprintServiceTest {
    @RegisterExtension
    static final PostgresSchema POSTGRES = PostgresSchema.create();

    @BeforeAll
    static void startOnPostgres() {
        start(POSTGRES.dbConfig());
    }
}
