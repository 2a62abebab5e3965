package io.dharma.health;

/**
 * Base of every failure of the health library.
 */
public abstract class HealthException extends RuntimeException {
    HealthException(String message) {
        super(message);
    }
}
