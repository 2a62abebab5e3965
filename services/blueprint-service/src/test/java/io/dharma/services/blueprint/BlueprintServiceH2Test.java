package io.dharma.services.blueprint;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;

/**
 * The blueprint API on the embedded default database (in-memory H2).
 */
class BlueprintServiceH2Test extends AbstractBlueprintServiceTest {
    @BeforeAll
    static void startOnH2() {
        start(Map.of());
    }
}
