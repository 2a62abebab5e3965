package io.dharma.openapi;

/**
 * The OpenAPI document, or a document it refers to, cannot be read or does not resolve, or a file of the API reference
 * page is missing; the service does not start.
 */
public final class InvalidDocumentException extends OpenApiException {
    InvalidDocumentException(String message) {
        super(message, null);
    }

    InvalidDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
