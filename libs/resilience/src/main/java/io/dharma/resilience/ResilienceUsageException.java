package io.dharma.resilience;

/**
 * A downstream request the code built wrongly: a path that is not a valid, encoded URI path starting with one
 * {@code /}.
 */
public final class ResilienceUsageException extends ResilienceException {
    ResilienceUsageException(String message) {
        super(message);
    }
}
