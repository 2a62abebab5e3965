package io.dharma.data;

/**
 * Base of the failures of the data layer itself, not of a request: invalid {@code db} configuration
 * ({@link DataConfigException}) or a database that could not be prepared ({@link DataMigrationException}).
 * <p>
 * Failures of statements run for a request are translated by {@link DataErrors} instead.
 */
public abstract class DataException extends RuntimeException {
    DataException(String message) {
        super(message);
    }

    DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
