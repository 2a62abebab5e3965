package io.dharma.resilience;

/**
 * Base of the misuses of the resilience library, as opposed to failed calls: invalid configuration or a downstream
 * that is not configured ({@link ResilienceConfigException}), a malformed request path
 * ({@link ResilienceUsageException}). Failed calls are {@link DownstreamException}s.
 */
public abstract class ResilienceException extends RuntimeException {
    ResilienceException(String message) {
        super(message);
    }
}
