package io.dharma.ratelimit;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The in-process backend: one TAT per bucket in a concurrent map, updated under striped monitors (entered in index
 * order, so a request's buckets are checked and consumed atomically without deadlock; a monitor spins briefly before
 * parking, which suits these sections of a few map operations better than a lock that parks at once). Buckets whose TAT has passed are
 * full, equal to absent, and are swept away periodically, so idle clients leave nothing behind.
 */
final class LocalRateLimiter implements RateLimiter {
    static final int DEFAULT_MAX_KEYS = 1_000_000;
    private static final int STRIPES = 64;
    private static final int SWEEP_EVERY = 4096;

    // configuration
    private final InstantSource clock;
    private final int maxKeys;
    // runtime
    private final ConcurrentHashMap<String, Long> buckets = new ConcurrentHashMap<>();
    private final Object[] monitors = new Object[STRIPES];
    private final AtomicLong calls = new AtomicLong();

    LocalRateLimiter(InstantSource clock, int maxKeys) {
        this.clock = clock;
        this.maxKeys = maxKeys;
        for (int i = 0; i < STRIPES; i++) {
            monitors[i] = new Object();
        }
    }

    @Override
    public Decision acquire(List<Charge> charges) {
        return acquire(charges, Decision.Source.LOCAL);
    }

    @Override
    public Optional<Decision> knownDenial(List<Charge> charges) {
        return knownDenial(charges, Decision.Source.LOCAL);
    }

    Optional<Decision> knownDenial(List<Charge> charges, Decision.Source source) {
        return Optional.of(decide(charges, source, false)).filter(d -> !d.allowed());
    }

    Decision acquire(List<Charge> charges, Decision.Source source) {
        return decide(charges, source, true);
    }

    private Decision decide(List<Charge> charges, Decision.Source source, boolean consume) {
        long now = micros(clock.instant());
        if (charges.isEmpty()) {
            return Gcra.decide(charges, now, new long[0], true, source);
        }
        int[] stripes = stripes(charges);
        try {
            return locked(stripes, 0, () -> update(charges, source, consume, now));
        } finally {
            if (consume && (calls.incrementAndGet() % SWEEP_EVERY == 0 || buckets.size() > maxKeys)) {
                sweep(now);
            }
        }
    }

    /** Runs the body holding the monitors of the given stripes (ascending), entered one inside the other. */
    private Decision locked(int[] stripes, int from, Supplier<Decision> body) {
        if (from == stripes.length) {
            return body.get();
        }
        synchronized (monitors[stripes[from]]) {
            return locked(stripes, from + 1, body);
        }
    }

    private Decision update(List<Charge> charges, Decision.Source source, boolean consume, long now) {
        long[] tats = new long[charges.size()];
        boolean admitted = true;
        for (int i = 0; i < charges.size(); i++) {
            Charge charge = charges.get(i);
            Long stored = buckets.get(charge.bucket());
            tats[i] = stored == null ? now : Math.max(stored, now);
            admitted &= Gcra.conforms(charge, now, tats[i]);
        }
        if (admitted && consume) {
            for (int i = 0; i < charges.size(); i++) {
                buckets.put(charges.get(i).bucket(), Gcra.consume(charges.get(i), tats[i]));
            }
        }
        return Gcra.decide(charges, now, tats, admitted, source);
    }

    /** Number of buckets held (for tests). */
    int size() {
        return buckets.size();
    }

    void sweep(long now) {
        // conditional removal: a bucket updated meanwhile has a TAT in the future and stays
        buckets.entrySet().removeIf(e -> e.getValue() <= now);
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    /** The distinct stripes of the charges' buckets, ascending. */
    private static int[] stripes(List<Charge> charges) {
        int[] stripes = new int[charges.size()];
        int count = 0;
        for (Charge charge : charges) {
            int stripe = stripe(charge.bucket());
            int at = 0;
            while (at < count && stripes[at] < stripe) {
                at++;
            }
            if (at == count || stripes[at] != stripe) {
                System.arraycopy(stripes, at, stripes, at + 1, count - at);
                stripes[at] = stripe;
                count++;
            }
        }
        return count == stripes.length ? stripes : Arrays.copyOf(stripes, count);
    }

    private static int stripe(String bucket) {
        return Math.floorMod(bucket.hashCode(), STRIPES);
    }
}
