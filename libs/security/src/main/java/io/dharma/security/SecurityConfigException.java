package io.dharma.security;

/**
 * Invalid security configuration or key material: a bad value under {@code security}, a weak or unreadable key, an
 * unsafe combination without its opt-out. Thrown at start-up, so the service does not run half-protected.
 */
public final class SecurityConfigException extends SecurityException {
    SecurityConfigException(String message) {
        super(message);
    }

    SecurityConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
