package ${package};

import java.util.Collection;
import java.util.Map;

import io.dharma.testing.ContractCheck;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The routing and the document served at {@code /openapi} agree with {@code src/main/resources/META-INF/openapi.yaml}:
 * every route is documented, every documented operation is routed, the served document is the checked-in file.
 */
class ${resourceClass}ContractTest extends ContractCheck {
    @BeforeAll
    void start() {
        Abstract${resourceClass}ServiceTest.start(Map.of());
    }

    @AfterAll
    void stop() {
        Abstract${resourceClass}ServiceTest.stop();
    }

    @Override
    protected int port() {
        return Abstract${resourceClass}ServiceTest.service().port();
    }

    @Override
    protected Collection<String> routes() {
        return Abstract${resourceClass}ServiceTest.service().routes();
    }
}
