package io.dharma.services.blueprint;

import java.nio.file.Path;
import java.util.Optional;

import io.dharma.testing.SmokeCheck;

/**
 * The packaged blueprint-service as an operator runs it ({@code java -jar target/blueprint-service.jar}, embedded
 * defaults), checked from outside by the shared Dharma smoke check.
 */
class BlueprintSmokeIT extends SmokeCheck {
    BlueprintSmokeIT() {
        super(Path.of("target", "blueprint-service.jar"), "/api/v1/blueprints");
    }

    @Override
    protected Optional<Path> metricsTable() {
        return Optional.of(Path.of("..", "..", "docs", "operations.md"));
    }
}
