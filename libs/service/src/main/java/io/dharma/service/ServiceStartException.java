package io.dharma.service;

/**
 * The server could not start listening (e.g. the port is taken).
 */
public final class ServiceStartException extends ServiceException {
    ServiceStartException(String message) {
        super(message);
    }
}
