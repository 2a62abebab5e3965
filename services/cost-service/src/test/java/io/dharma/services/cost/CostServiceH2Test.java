package io.dharma.services.cost;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;

/**
 * The estimate API on the embedded default database (in-memory H2).
 */
class CostServiceH2Test extends AbstractCostServiceTest {
    @BeforeAll
    static void startOnH2() {
        start(Map.of());
    }
}
