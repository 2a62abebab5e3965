package io.dharma.services.blueprint;

import java.util.Collection;
import java.util.Map;

import io.dharma.service.DharmaService;
import io.dharma.testing.ContractCheck;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * blueprint-service's routing and served document agree with {@code META-INF/openapi.yaml}.
 */
class BlueprintContractTest extends ContractCheck {
    private DharmaService service;

    @BeforeAll
    void start() {
        service = TestServices.start(Map.of());
    }

    @AfterAll
    void stop() {
        service.stop();
    }

    @Override
    protected int port() {
        return service.port();
    }

    @Override
    protected Collection<String> routes() {
        return service.routes();
    }
}
