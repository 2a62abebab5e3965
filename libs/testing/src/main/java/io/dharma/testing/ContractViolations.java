package io.dharma.testing;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails a test class during which a service in the test JVM answered a response that broke its OpenAPI document, even
 * if no test looked at that response. With {@code openapi.validate-responses} on, such a response is replaced by a 500
 * (which fails the test that checks it) and counted in {@value #COUNTER}; this extension compares the count before and
 * after each test class.
 * <p>
 * It needs no annotation: it is registered through {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * and dharma-service-parent turns on JUnit's extension auto-detection
 * ({@code junit.jupiter.extensions.autodetection.enabled}) for surefire and failsafe, so every suite of every service
 * runs with it. A test class that provokes violations on purpose carries {@link ExpectsContractViolations}.
 */
public final class ContractViolations implements BeforeAllCallback, AfterAllCallback {
    /** The counter dharma-openapi's response validation increments. */
    public static final String COUNTER = "openapi.response.violations";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ContractViolations.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(COUNTER, count());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getRequiredTestClass().isAnnotationPresent(ExpectsContractViolations.class)) {
            return;
        }
        long before = context.getStore(NAMESPACE).getOrDefault(COUNTER, Long.class, 0L);
        long violations = count() - before;
        if (violations > 0) {
            fail(violations + " response(s) broke the OpenAPI document while " + context.getRequiredTestClass().getSimpleName()
                         + " ran; each was answered as a 500 and logged as 'Response breaks the API contract'");
        }
    }

    /**
     * Responses counted so far in this JVM.
     *
     * @return violations
     */
    static long count() {
        return Metrics.globalRegistry().meters().stream()
                .filter(meter -> meter instanceof Counter && meter.id().name().equals(COUNTER))
                .mapToLong(meter -> ((Counter) meter).count())
                .sum();
    }
}
