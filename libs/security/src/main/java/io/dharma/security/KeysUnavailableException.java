package io.dharma.security;

import java.time.Duration;

/**
 * A {@link KeySource} cannot say which keys are trusted: its JWKS endpoint fails and no key set is known yet, or the
 * last one outlived the outage tolerance. Requests with a token are answered 503 SERVICE_UNAVAILABLE with
 * {@code Retry-After}, not 401: the token may well be valid.
 */
public final class KeysUnavailableException extends SecurityException {
    private final Duration retryAfter;

    KeysUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /**
     * When keys may be known again: the next fetch the rate limit allows.
     *
     * @return time to wait, at least one second
     */
    public Duration retryAfter() {
        return retryAfter;
    }
}
