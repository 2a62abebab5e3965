package io.dharma.ratelimit;

import java.util.Locale;

/**
 * Who a request is made on behalf of, as the limiter needs it: an identity for the {@code user} key and a tier for
 * the {@code tier} key and the {@code per-tier} capacities. The service's bootstrap tells the user filter how to find
 * it ({@link RateLimiting#userFilter(java.util.function.Function)}); the limiter knows nothing of tokens.
 *
 * @param id   the caller's identity, unique across issuers (length-prefixed in keys, so any characters are safe)
 * @param tier the caller's tier name, case-insensitive ({@value #DEFAULT_TIER} for a caller without one)
 */
public record Caller(String id, String tier) {
    /** Tier of a caller without one, and whose capacity is a policy's default {@code capacity}. */
    public static final String DEFAULT_TIER = "FREE";

    /**
     * Normalises the tier to upper case.
     */
    public Caller {
        tier = tier.toUpperCase(Locale.ROOT);
    }
}
