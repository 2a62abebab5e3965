package io.dharma.ratelimit;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process backend: one TAT per bucket, an {@link AtomicLong} in a concurrent map, updated without locks. A
 * request's buckets are consumed one after the other, each with a compare-and-set that succeeds only while the bucket
 * still conforms; when a later bucket does not conform, the ones already consumed are refunded. So a request is
 * admitted only if every bucket had room, and a refused request leaves its buckets as it found them: never more
 * admissions than the limits allow; between a consumption and its refund another request on the same bucket may be
 * refused that would have passed (the rare cost of not locking). Buckets whose TAT has passed are full, equal to
 * absent, and are swept away periodically, so idle clients leave nothing behind.
 */
final class LocalRateLimiter implements RateLimiter {
    static final int DEFAULT_MAX_KEYS = 1_000_000;
    private static final int SWEEP_EVERY = 4096;

    // configuration
    private final InstantSource clock;
    private final int maxKeys;
    // runtime
    private final ConcurrentHashMap<String, AtomicLong> buckets = new ConcurrentHashMap<>();

    LocalRateLimiter(InstantSource clock, int maxKeys) {
        this.clock = clock;
        this.maxKeys = maxKeys;
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
        long now = micros(clock.instant());
        long[] tats = new long[charges.size()];
        boolean conforming = true;
        for (int i = 0; i < charges.size(); i++) {
            AtomicLong cell = buckets.get(charges.get(i).bucket());
            tats[i] = cell == null ? now : Math.max(cell.get(), now);
            conforming &= Gcra.conforms(charges.get(i), now, tats[i]);
        }
        return conforming ? Optional.empty() : Optional.of(Gcra.decide(charges, now, tats, false, source));
    }

    Decision acquire(List<Charge> charges, Decision.Source source) {
        long now = micros(clock.instant());
        long[] tats = new long[charges.size()];
        int consumed = 0;
        while (consumed < charges.size() && consume(charges.get(consumed), now, tats, consumed)) {
            consumed++;
        }
        boolean admitted = consumed == charges.size();
        if (!admitted) {
            for (int i = 0; i < consumed; i++) {
                refund(charges.get(i));
            }
            for (int i = consumed + 1; i < charges.size(); i++) {
                AtomicLong cell = buckets.get(charges.get(i).bucket());
                tats[i] = cell == null ? now : Math.max(cell.get(), now);
            }
        }
        if (ThreadLocalRandom.current().nextInt(SWEEP_EVERY) == 0 || buckets.size() > maxKeys) {
            sweep(now);
        }
        return Gcra.decide(charges, now, tats, admitted, source);
    }

    /** Consumes one charge if its bucket conforms; its TAT before (at least now) goes to {@code tats[index]}. */
    private boolean consume(Charge charge, long now, long[] tats, int index) {
        while (true) {
            AtomicLong cell = buckets.computeIfAbsent(charge.bucket(), key -> new AtomicLong(Long.MIN_VALUE));
            long stored = cell.get();
            long tat = Math.max(stored, now);
            tats[index] = tat;
            if (!Gcra.conforms(charge, now, tat)) {
                return false;
            }
            if (cell.compareAndSet(stored, Gcra.consume(charge, tat))) {
                if (buckets.get(charge.bucket()) == cell) {
                    return true;
                }
                // swept away meanwhile (it was full): consume from the bucket that replaced it
            }
        }
    }

    private void refund(Charge charge) {
        AtomicLong cell = buckets.get(charge.bucket());
        if (cell != null) {
            cell.addAndGet(-charge.cost() * charge.intervalMicros());
        }
    }

    /** Number of buckets held (for tests). */
    int size() {
        return buckets.size();
    }

    void sweep(long now) {
        // conditional removal: a bucket consumed meanwhile has a TAT in the future and stays; a consumption that
        // races the removal notices that its bucket left the map and is made again on a new one
        buckets.forEach((key, cell) -> {
            if (cell.get() <= now) {
                buckets.remove(key, cell);
            }
        });
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
