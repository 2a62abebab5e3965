package io.dharma.errors;

/**
 * An invalid value under {@code errors}; thrown at start-up.
 */
public final class ErrorsConfigException extends ErrorsException {
    ErrorsConfigException(String message) {
        super(message);
    }
}
