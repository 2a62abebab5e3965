package io.dharma.services.cost;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Optional;

import io.dharma.testing.SmokeCheck;

/**
 * The packaged service as an operator runs it ({@code java -jar target/cost-service.jar}), checked from outside by
 * the shared Dharma smoke check: probes, problem responses, metrics, JSON logs with correlation ids, 401 without a
 * valid token, the security headers and the rate-limit headers; its sample call is an estimate.
 */
class CostSmokeIT extends SmokeCheck {
    CostSmokeIT() {
        super(Path.of("target", "cost-service.jar"), CostService.PATH + "/estimate");
    }

    @Override
    protected Optional<Path> metricsTable() {
        return Optional.of(Path.of("..", "..", "docs", "operations.md"));
    }

    @Override
    protected HttpRequest.Builder sampleCall(HttpRequest.Builder request) {
        return request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"resources": [{"type": "vm", "size": "small", "count": 1, "region": "us-east-1", "cloud": "aws"}]}
                        """));
    }
}
