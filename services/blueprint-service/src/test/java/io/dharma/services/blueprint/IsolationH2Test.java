package io.dharma.services.blueprint;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;

/**
 * Isolation between users on the embedded H2 database, with in-process (L1) caches only.
 */
class IsolationH2Test extends AbstractIsolationTest {
    @BeforeAll
    static void startOnH2() {
        start(Map.of());
    }

    @Override
    List<String> expectedForSymbols(String nameContainingIt) {
        return List.of(nameContainingIt);
    }
}
