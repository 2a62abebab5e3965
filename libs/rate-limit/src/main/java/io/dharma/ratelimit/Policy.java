package io.dharma.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;


/**
 * One rate-limit policy: a bucket of {@code capacity} units per key that refills at {@code capacity / period}.
 *
 * @param name     policy name, shown in headers and problem details ({@code [a-z0-9_-]}, 1–32 characters)
 * @param key      what the bucket is keyed by, in order (at least one part)
 * @param capacity burst size and the number of units per period
 * @param period   time to refill an empty bucket completely
 * @param perTier  capacity per tier, overriding {@code capacity} for the tiers it names
 * @param failure  what happens while the Redis backend is unavailable
 * @param global   whether the policy applies to every request; {@code false} when it applies only on the routes
 *                 that name it in {@code rate-limit.routes}
 */
public record Policy(String name,
                     List<KeyPart> key,
                     long capacity,
                     Duration period,
                     Map<String, Long> perTier,
                     FailureMode failure,
                     boolean global) {
    /**
     * Smallest emission interval ({@code period / capacity}): 100 µs, so rounding the interval up to whole microseconds
     * costs less than 1 % of the configured rate.
     */
    public static final Duration MIN_INTERVAL = Duration.ofNanos(100_000);
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");

    /**
     * Validates and copies.
     */
    public Policy {
        if (!NAME.matcher(name).matches()) {
            throw new RateLimitConfigException("Rate-limit policy names are 1-32 characters of [a-z0-9_-]: '" + name + "'");
        }
        if (key.isEmpty()) {
            throw new RateLimitConfigException("Rate-limit policy '" + name + "' needs a key");
        }
        key = List.copyOf(key);
        perTier = Map.copyOf(perTier);
        if (period.isNegative() || period.isZero()) {
            throw new RateLimitConfigException("Rate-limit policy '" + name + "' needs a positive period");
        }
        check(name, capacity, period);
        for (long tierCapacity : perTier.values()) {
            check(name, tierCapacity, period);
        }
    }

    /**
     * The capacity for a tier: its {@code per-tier} entry, else {@link #capacity()}.
     *
     * @param tier caller's tier name, upper case ({@link Caller#tier()})
     * @return capacity
     */
    public long capacity(String tier) {
        return perTier.getOrDefault(tier, capacity);
    }

    /**
     * The smallest capacity over all tiers (bounds the cost a route may charge).
     *
     * @return smallest capacity
     */
    public long minCapacity() {
        return perTier.values().stream().mapToLong(Long::longValue).reduce(capacity, Math::min);
    }

    /**
     * Whether the key needs the authenticated caller.
     *
     * @return true if keyed by user or tier
     */
    public boolean needsPrincipal() {
        return key.contains(KeyPart.USER) || key.contains(KeyPart.TIER);
    }

    /**
     * Period in whole seconds (the {@code w} of the {@code RateLimit-Policy} header).
     *
     * @return seconds, at least 1
     */
    public long windowSeconds() {
        return Math.max(1, (period.toMillis() + 999) / 1000);
    }

    private static void check(String name, long capacity, Duration period) {
        if (capacity < 1) {
            throw new RateLimitConfigException("Rate-limit policy '" + name + "' needs a capacity of at least 1");
        }
        if (period.dividedBy(capacity).compareTo(MIN_INTERVAL) < 0) {
            throw new RateLimitConfigException("Rate-limit policy '" + name + "' is finer than one unit per 100 µs per key");
        }
    }
}
