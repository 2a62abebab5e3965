package io.dharma.data;

/**
 * An invalid value under {@code db}; thrown at start-up.
 */
public final class DataConfigException extends DataException {
    DataConfigException(String message) {
        super(message);
    }

    DataConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
