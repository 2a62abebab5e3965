package io.dharma.services.blueprint;

import io.dharma.testing.PostgresSchema;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The blueprint API on the real PostgreSQL, in a schema of its own.
 */
class BlueprintServicePostgresIT extends AbstractBlueprintServiceTest {
    @RegisterExtension
    static final PostgresSchema POSTGRES = PostgresSchema.create();

    @BeforeAll
    static void startOnPostgres() {
        start(POSTGRES.dbConfig());
    }
}
