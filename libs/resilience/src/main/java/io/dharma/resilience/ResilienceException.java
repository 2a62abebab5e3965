package io.dharma.resilience;

/**
 * A misuse of the resilience library rather than a failed call: invalid configuration, a downstream name that is
 * not configured, a malformed request path. Failed calls are {@link DownstreamException}s.
 */
public class ResilienceException extends RuntimeException {
    ResilienceException(String message) {
        super(message);
    }
}
