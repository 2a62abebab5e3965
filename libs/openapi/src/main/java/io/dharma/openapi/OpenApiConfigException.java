package io.dharma.openapi;

/**
 * An invalid value under {@code openapi} (a path that does not start with {@code /} or clashes with another); thrown
 * at start-up.
 */
public final class OpenApiConfigException extends OpenApiException {
    OpenApiConfigException(String message) {
        super(message, null);
    }
}
