package io.dharma.logging;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;

/**
 * Publishes the number of log lines dropped because the queue was full as the counter {@value #METRIC} of Helidon's
 * global registry ({@code logging_dropped_total} in Prometheus text). Runs on the writer thread, never on a request.
 */
final class DroppedLines {
    static final String METRIC = "logging.dropped";
    private static final String DESCRIPTION = "Log lines dropped because the log queue was full";

    // runtime: the total already reported; only the writer thread touches it
    private long reported;

    /**
     * Registers the counter (at zero), so it is visible before anything is dropped.
     */
    static void register() {
        try {
            counter();
        } catch (RuntimeException | LinkageError e) {
            // metrics are optional for logging: a registry problem must never stop a service from logging
        }
    }

    /**
     * Adds the drops since the last call to the counter.
     *
     * @param total drops since start
     * @return drops since the last call
     */
    long report(long total) {
        long lost = total - reported;
        if (lost <= 0) {
            return 0;
        }
        reported = total;
        try {
            counter().increment(lost);
        } catch (RuntimeException | LinkageError e) {
            // see register()
        }
        return lost;
    }

    private static Counter counter() {
        // looked up each time: the service may replace the global registry after logging started
        return Metrics.globalRegistry().getOrCreate(Counter.builder(METRIC).description(DESCRIPTION));
    }
}
