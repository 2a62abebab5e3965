package io.dharma.service;

/**
 * Base of the failures of {@link DharmaService} itself, apart from those of the libraries it assembles.
 */
public abstract class ServiceException extends RuntimeException {
    ServiceException(String message) {
        super(message);
    }

    ServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
