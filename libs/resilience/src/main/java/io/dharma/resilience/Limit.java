package io.dharma.resilience;

/**
 * How many requests may be in flight at once, fed with the latency of each completed request.
 */
interface Limit {
    /**
     * The current limit.
     *
     * @return requests in flight at most
     */
    int limit();

    /**
     * One completed request.
     *
     * @param startNanos when it was admitted
     * @param rttNanos   how long it took
     * @param inFlight   requests in flight when it was admitted, itself included
     * @param nowNanos   now
     */
    void sample(long startNanos, long rttNanos, int inFlight, long nowNanos);

    /**
     * A limit that never changes.
     *
     * @param limit the limit
     * @return limit
     */
    static Limit fixed(int limit) {
        return new Limit() {
            @Override
            public int limit() {
                return limit;
            }

            @Override
            public void sample(long startNanos, long rttNanos, int inFlight, long nowNanos) {
            }
        };
    }
}
