package io.dharma.resilience;

/**
 * A concurrency limit after TCP Vegas, on windows of averaged latency. With {@code limit} requests in flight, an
 * average latency {@code avg} and the unloaded latency {@code baseline}, about {@code limit * (1 - baseline / avg)}
 * of them are queueing (waiting for a CPU, a connection, a lock) rather than being worked on. While that estimate is
 * below {@code alpha} (3 log10 limit) the limit grows; above {@code beta} (6 log10 limit) it falls half-way to the
 * requests not queueing plus {@code alpha}. So the service keeps a few requests queueing, enough to stay busy, and
 * sheds the rest instead of making them wait.
 * <p>
 * Two rules keep a healthy service from shedding: a window in which fewer than half the limit were in flight changes
 * nothing (the traffic, not the service, set its latency: a slow dependency with few callers, a cold JIT), and an
 * average up to {@code tolerated-delay} above the baseline counts as no queueing (a busy CPU adds a few
 * milliseconds; that is not overload).
 * <p>
 * The baseline is the lowest window average. A stale baseline would keep the limit too small for good (too low) or
 * never let it shed (too high, measured while the JIT was cold): every {@code probe-interval} it is measured again,
 * from the windows of the period in which the service was not busy (in-flight below half the limit), or, when it was
 * busy all the time, by a probe: for one window the limit is {@code min-limit} and the average latency of the requests
 * admitted in that window is the new baseline (as BBR measures its round-trip time). A healthy service is not busy in
 * that sense: its limit grows until the traffic fills less than half of it.
 * <p>
 * Windows last at least {@code window} and {@value #MIN_SAMPLES} requests; a probe at most {@value #PROBE_WINDOWS}
 * windows. Thread-safe; time comes from the caller.
 */
final class VegasLimit implements Limit {
    static final int MIN_SAMPLES = 10;
    static final int PROBE_WINDOWS = 10;

    // configuration
    private final int minLimit;
    private final int maxLimit;
    private final long windowNanos;
    private final long probeIntervalNanos;
    private final long toleratedNanos;

    // runtime, guarded by this; the published limit is read without the lock on every request
    private volatile int published;
    private double limit;
    private double baseline;
    private long windowStart;
    private long windowSum;
    private int windowCount;
    private int windowMaxInFlight;
    private long periodStart;
    private double periodMin = Double.MAX_VALUE;
    private boolean periodIdle;
    private boolean probing;

    VegasLimit(ConcurrencyConfig config, long nowNanos) {
        this.minLimit = config.minLimit();
        this.maxLimit = config.maxLimit();
        this.windowNanos = config.window().toNanos();
        this.probeIntervalNanos = config.probeInterval().toNanos();
        this.toleratedNanos = config.toleratedDelay().toNanos();
        this.limit = config.initialLimit();
        this.published = config.initialLimit();
        this.windowStart = nowNanos;
        this.periodStart = nowNanos;
    }

    @Override
    public int limit() {
        return published;
    }

    /** The unloaded latency the limit is judged against, in nanoseconds (0 before the first window). */
    synchronized double baseline() {
        return baseline;
    }

    /** Whether the unloaded latency is being probed. */
    synchronized boolean probing() {
        return probing;
    }

    @Override
    public synchronized void sample(long startNanos, long rttNanos, int inFlight, long nowNanos) {
        if (probing && startNanos < windowStart) {
            // admitted before the probe, at the full limit: its latency says nothing about the unloaded one
            return;
        }
        windowSum += rttNanos;
        windowCount++;
        windowMaxInFlight = Math.max(windowMaxInFlight, inFlight);
        long elapsed = nowNanos - windowStart;
        boolean probeOver = probing && elapsed >= PROBE_WINDOWS * windowNanos;
        if (!probeOver && (elapsed < windowNanos || windowCount < MIN_SAMPLES)) {
            return;
        }
        double average = (double) windowSum / windowCount;
        if (probing) {
            baseline = average;
            probing = false;
            periodStart = nowNanos;
        } else {
            adapt(average);
            if (nowNanos - periodStart >= probeIntervalNanos) {
                newPeriod(nowNanos);
            }
        }
        publish();
        windowStart = nowNanos;
        windowSum = 0;
        windowCount = 0;
        windowMaxInFlight = 0;
    }

    private void adapt(double average) {
        if (baseline == 0 || average < baseline) {
            baseline = average;
        }
        periodMin = Math.min(periodMin, average);
        if (windowMaxInFlight * 2 < limit) {
            // the traffic did not use the limit: its latency says nothing about where the limit should be
            periodIdle = true;
            return;
        }
        double log = Math.max(1, Math.log10(limit));
        double alpha = 3 * log;
        double beta = 6 * log;
        double queueing = average - baseline <= toleratedNanos ? 0 : limit * (1 - baseline / average);
        if (queueing > beta) {
            limit = (limit + (limit - queueing + alpha)) / 2;
        } else if (queueing < alpha) {
            // far below alpha: the limit is nowhere near the latency's knee, grow faster
            limit += queueing < log ? beta : log;
        }
        limit = Math.max(minLimit, Math.min(maxLimit, limit));
    }

    private void newPeriod(long nowNanos) {
        if (periodIdle) {
            // the not-busy windows of the period measured the current mix of requests
            baseline = periodMin;
        } else {
            // busy all the time: the baseline may be stale, too low (the limit cannot grow again) or too high (set
            // while the JIT was cold; the limit never sheds)
            probing = true;
        }
        periodStart = nowNanos;
        periodMin = Double.MAX_VALUE;
        periodIdle = false;
    }

    private void publish() {
        published = probing ? minLimit : (int) Math.round(limit);
    }
}
