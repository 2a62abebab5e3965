package io.dharma.resilience;

/**
 * An invalid value under {@code resilience}, or a downstream the code names that is not configured.
 */
public final class ResilienceConfigException extends ResilienceException {
    ResilienceConfigException(String message) {
        super(message);
    }
}
