package io.dharma.tracing;

/**
 * Base of every failure of the tracing library.
 */
public abstract class TracingException extends RuntimeException {
    TracingException(String message) {
        super(message);
    }

    TracingException(String message, Throwable cause) {
        super(message, cause);
    }
}
