package io.dharma.ratelimit;

/**
 * A policy's state for one key after a decision, as reported in the response headers.
 *
 * @param policy        policy name
 * @param quota         capacity for this caller
 * @param windowSeconds refill period in seconds
 * @param remaining     units left now
 * @param resetSeconds  seconds until the bucket is full again
 */
public record PolicyState(String policy, long quota, long windowSeconds, long remaining, long resetSeconds) {
    /**
     * Whether at least 80 % of the quota is used.
     *
     * @return true when near the limit
     */
    public boolean nearLimit() {
        return remaining * 5 <= quota;
    }
}
