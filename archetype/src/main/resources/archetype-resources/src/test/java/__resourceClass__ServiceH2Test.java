package ${package};

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;

/**
 * The ${resourcePlural} API on the embedded default database (in-memory H2).
 */
class ${resourceClass}ServiceH2Test extends Abstract${resourceClass}ServiceTest {
    @BeforeAll
    static void startOnH2() {
        start(Map.of());
    }
}
