package io.dharma.service;

/**
 * Settings of two libraries that do not fit together (a rate-limit tier no token can carry); thrown at start-up.
 */
public final class ServiceConfigException extends ServiceException {
    ServiceConfigException(String message) {
        super(message);
    }
}
