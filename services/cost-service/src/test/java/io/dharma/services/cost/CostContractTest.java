package io.dharma.services.cost;

import java.util.Collection;
import java.util.Map;

import io.dharma.testing.ContractCheck;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * cost-service's routing and served document agree with {@code META-INF/openapi.yaml}.
 */
class CostContractTest extends ContractCheck {
    @BeforeAll
    void start() {
        AbstractCostServiceTest.start(Map.of());
    }

    @AfterAll
    void stop() {
        AbstractCostServiceTest.stop();
    }

    @Override
    protected int port() {
        return AbstractCostServiceTest.service().port();
    }

    @Override
    protected Collection<String> routes() {
        return AbstractCostServiceTest.service().routes();
    }
}
