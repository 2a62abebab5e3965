package io.dharma.service;

/**
 * Settings of two libraries that do not fit together (a rate-limit tier no token can carry), or a value of the wrong
 * type for its key ({@code health.timeout: soon}, {@code security.enabled: ture}); thrown at start-up.
 */
public final class ServiceConfigException extends ServiceException {
    ServiceConfigException(String message) {
        super(message);
    }

    ServiceConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
