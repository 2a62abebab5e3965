package io.dharma.errors;

/**
 * Base of the failures of the errors library itself; the problems it answers requests with are {@link ApiException}s.
 */
public abstract class ErrorsException extends RuntimeException {
    ErrorsException(String message) {
        super(message);
    }
}
