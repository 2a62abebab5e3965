package io.dharma.security;

/**
 * Base of every failure of the security library. Messages name config keys and key ids, never secrets or tokens.
 * <p>
 * Inside this package the name hides {@link java.lang.SecurityException}; elsewhere import it by name.
 */
public abstract class SecurityException extends RuntimeException {
    SecurityException(String message) {
        super(message);
    }

    SecurityException(String message, Throwable cause) {
        super(message, cause);
    }
}
