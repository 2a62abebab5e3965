package io.dharma.openapi;

/**
 * A failure of the OpenAPI library: the service's document or its {@code openapi} settings cannot be used.
 */
public abstract class OpenApiException extends RuntimeException {
    /**
     * Create an exception.
     *
     * @param message what failed, naming the document
     * @param cause   underlying failure, or null
     */
    protected OpenApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
