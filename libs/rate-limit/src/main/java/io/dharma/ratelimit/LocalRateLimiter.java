package io.dharma.ratelimit;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process backend: one TAT per bucket in a concurrent map, updated under striped locks (taken in index order,
 * so a request's buckets are checked and consumed atomically without deadlock). Buckets whose TAT has passed are
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
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final AtomicLong calls = new AtomicLong();

    LocalRateLimiter(InstantSource clock, int maxKeys) {
        this.clock = clock;
        this.maxKeys = maxKeys;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
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
        boolean[] stripes = new boolean[STRIPES];
        for (Charge charge : charges) {
            stripes[stripe(charge.bucket())] = true;
        }
        lock(stripes);
        try {
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
        } finally {
            unlock(stripes);
            if (consume && (calls.incrementAndGet() % SWEEP_EVERY == 0 || buckets.size() > maxKeys)) {
                sweep(now);
            }
        }
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

    private static int stripe(String bucket) {
        return Math.floorMod(bucket.hashCode(), STRIPES);
    }

    private void lock(boolean[] stripes) {
        for (int i = 0; i < STRIPES; i++) {
            if (stripes[i]) {
                locks[i].lock();
            }
        }
    }

    private void unlock(boolean[] stripes) {
        for (int i = STRIPES - 1; i >= 0; i--) {
            if (stripes[i]) {
                locks[i].unlock();
            }
        }
    }
}
