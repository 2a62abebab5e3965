package io.dharma.secrets;

/**
 * Thrown by {@link Secrets#create(io.helidon.config.Config)} when the {@code secrets} configuration is invalid.
 */
public final class SecretsConfigException extends SecretsException {
    SecretsConfigException(String message) {
        super(message);
    }

    SecretsConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
