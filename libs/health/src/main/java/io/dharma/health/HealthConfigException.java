package io.dharma.health;

/**
 * An invalid value under {@code health}; thrown at start-up.
 */
public final class HealthConfigException extends HealthException {
    HealthConfigException(String message) {
        super(message);
    }
}
