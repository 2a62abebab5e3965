package io.dharma.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that breaks an OpenAPI document on purpose (to test the response validation itself), so
 * {@link ContractViolations} does not fail it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ExpectsContractViolations {
}
