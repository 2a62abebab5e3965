package io.dharma.ratelimit;

/**
 * One bucket a request must take units from: the policy, the bucket's key within the policy, the capacity that
 * applies to this caller and the units this request costs.
 *
 * @param policy   the policy
 * @param key      bucket key within the policy, already free of personal data (see {@link #hashed(Policy, String,
 *                 long, long)})
 * @param capacity capacity for this caller (the policy's, or its tier's)
 * @param cost     units this request takes (at least 1)
 */
public record Charge(Policy policy, String key, long capacity, long cost) {
    /**
     * Validates.
     */
    public Charge {
        if (capacity < 1 || cost < 1) {
            throw new IllegalArgumentException("A charge needs a capacity and a cost of at least 1");
        }
    }

    /**
     * A charge whose key is derived from raw material (IP, subject, route) by hashing it.
     *
     * @param policy   the policy
     * @param material raw key material, e.g. {@code ip=203.0.113.7}
     * @param capacity capacity for this caller
     * @param cost     units charged
     * @return charge
     */
    public static Charge hashed(Policy policy, String material, long capacity, long cost) {
        return new Charge(policy, Keys.hash(material), capacity, cost);
    }

    /** Emission interval: period / capacity, rounded up to whole microseconds (never more admissions than the rate). */
    long intervalMicros() {
        long period = policy.period().toNanos() / 1000;
        return (period + capacity - 1) / capacity;
    }

    /** Burst tolerance: capacity × interval. */
    long tauMicros() {
        return intervalMicros() * capacity;
    }

    /** Key of the bucket: policy name and hashed key. */
    String bucket() {
        return policy.name() + ":" + key;
    }
}
