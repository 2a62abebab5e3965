package io.dharma.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

import org.jspecify.annotations.Nullable;

/**
 * A downstream call that produced no usable answer. It is an {@link ApiException}, so a handler that lets it through
 * answers a problem: 503 SERVICE_UNAVAILABLE with {@code Retry-After}, or 504 UPSTREAM_TIMEOUT. The detail names the
 * downstream only; the underlying failure is kept as the cause, for the server log.
 * <p>
 * Callers that can do better than an error (a cached value, a default) catch it and look at {@link #reason()}.
 */
public final class DownstreamException extends ApiException {
    private final String downstream;
    private final Reason reason;

    private DownstreamException(String downstream, Reason reason, ErrorCode code, String detail,
                                Map<String, String> headers, @Nullable Throwable cause) {
        super(code, detail, List.of(), headers, cause);
        this.downstream = downstream;
        this.reason = reason;
    }

    /**
     * Why a call failed.
     */
    public enum Reason {
        /** The circuit breaker is open (or half-open with its probe call in flight): the call was not made. */
        BREAKER_OPEN,
        /** The bulkhead's slots and queue were full: the call was not made. */
        BULKHEAD_FULL,
        /** Connection failures or 5xx answers, after the retries that were allowed. */
        UNAVAILABLE,
        /** The per-attempt or overall timeout ran out, or the downstream answered 504. */
        TIMEOUT,
        /** The downstream answered, but its body could not be read as the JSON the caller asked for. */
        BAD_RESPONSE;

        /**
         * Lower-kebab name, as used in metric tags.
         *
         * @return e.g. {@code breaker-open}
         */
        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static DownstreamException rejected(String downstream, Reason reason, Duration retryAfter) {
        String detail = reason == Reason.BREAKER_OPEN
                ? "Downstream " + downstream + " is failing; calls to it are paused"
                : "Downstream " + downstream + " is at its concurrency limit";
        return unavailable(downstream, reason, detail, retryAfter, null);
    }

    static DownstreamException unavailable(String downstream, Duration retryAfter, Throwable cause) {
        return unavailable(downstream, Reason.UNAVAILABLE, "Downstream " + downstream + " is unavailable", retryAfter,
                           cause);
    }

    static DownstreamException timeout(String downstream, Throwable cause) {
        return new DownstreamException(downstream, Reason.TIMEOUT, ErrorCode.UPSTREAM_TIMEOUT,
                                       "Downstream " + downstream + " did not answer in time", Map.of(), cause);
    }

    static DownstreamException badResponse(String downstream, Throwable cause) {
        return unavailable(downstream, Reason.BAD_RESPONSE, "Downstream " + downstream + " sent an unreadable answer",
                           Duration.ofSeconds(1), cause);
    }

    private static DownstreamException unavailable(String downstream, Reason reason, String detail, Duration retryAfter,
                                                   @Nullable Throwable cause) {
        return new DownstreamException(downstream, reason, ErrorCode.SERVICE_UNAVAILABLE, detail,
                                       Map.of("Retry-After", retryAfterSeconds(retryAfter)), cause);
    }

    /**
     * Name of the downstream that failed.
     *
     * @return downstream name
     */
    public String downstream() {
        return downstream;
    }

    /**
     * Why the call failed.
     *
     * @return reason
     */
    public Reason reason() {
        return reason;
    }

    // whole seconds, rounded up, at least 1 (a Retry-After of 0 invites an immediate retry storm)
    static String retryAfterSeconds(Duration retryAfter) {
        return Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }
}
