package io.dharma.logging;

/**
 * An invalid value under {@code logging} (format, level, queue size, redaction pattern); thrown at start-up.
 */
public final class LoggingConfigException extends LoggingException {
    LoggingConfigException(String message) {
        super(message, null);
    }

    LoggingConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
