package io.dharma.data;

/**
 * A failure of the data layer itself, not of a request: invalid {@code db} configuration or a failed migration.
 * <p>
 * Failures of statements run for a request are translated by {@link DataErrors} instead.
 */
public class DataException extends RuntimeException {
    DataException(String message) {
        super(message);
    }

    DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
