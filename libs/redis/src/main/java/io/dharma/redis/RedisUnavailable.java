package io.dharma.redis;

/**
 * A Redis call failed, did not answer in time, or was not made because Redis is in an outage ({@link RedisHealth}):
 * the caller degrades (a cache answers from L1 and its loader, a rate limit falls back per policy). Carries a reason
 * without data and no stack trace: it is expected, and cheap, during an outage.
 */
public final class RedisUnavailable extends RuntimeException {
    private final boolean interrupted;

    /**
     * Redis is to blame.
     *
     * @param reason what failed, without data (e.g. {@code no answer within 25 ms})
     */
    public RedisUnavailable(String reason) {
        this(reason, false);
    }

    private RedisUnavailable(String reason, boolean interrupted) {
        super(reason, null, false, false);
        this.interrupted = interrupted;
    }

    /**
     * The calling thread was interrupted while it waited: Redis is not to blame.
     *
     * @return exception
     */
    public static RedisUnavailable interrupted() {
        return new RedisUnavailable("interrupted", true);
    }

    /**
     * Whether the caller was interrupted rather than Redis failing: no reason to start an outage.
     *
     * @return whether interrupted
     */
    public boolean callerInterrupted() {
        return interrupted;
    }

    /**
     * What failed.
     *
     * @return reason
     */
    public String reason() {
        return getMessage();
    }
}
