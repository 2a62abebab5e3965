package io.dharma.tracing;

/**
 * An invalid value under {@code tracing} or in the {@code OTEL_*} variables; thrown at start-up.
 */
public final class TracingConfigException extends TracingException {
    TracingConfigException(String message) {
        super(message);
    }

    TracingConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
