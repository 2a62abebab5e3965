package io.dharma.secrets;

/**
 * Base of every failure of the secrets library. Messages name secrets and config keys, never secret values.
 */
public abstract class SecretsException extends RuntimeException {
    SecretsException(String message) {
        super(message);
    }

    SecretsException(String message, Throwable cause) {
        super(message, cause);
    }
}
