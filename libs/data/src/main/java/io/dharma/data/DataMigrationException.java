package io.dharma.data;

/**
 * The database could not be prepared: its schema not created or a migration failed. Readiness stays DOWN.
 */
public final class DataMigrationException extends DataException {
    DataMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
