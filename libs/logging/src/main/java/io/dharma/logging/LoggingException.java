package io.dharma.logging;

/**
 * Base of every failure of the logging library.
 */
public abstract class LoggingException extends RuntimeException {
    LoggingException(String message, Throwable cause) {
        super(message, cause);
    }
}
