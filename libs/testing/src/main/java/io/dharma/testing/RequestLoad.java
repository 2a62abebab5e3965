package io.dharma.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady load for fault and rotation tests: workers on virtual threads each send one request after another until
 * {@link #stop()}, and every request is counted as acknowledged, refused (a clean, expected refusal such as a 503
 * problem during an outage) or failed (anything else, including an exception). Tests assert on the counts; timings
 * are only reported.
 * <pre>{@code
 * RequestLoad load = RequestLoad.start(8, () -> {
 *     client.incr("hits");
 *     return RequestLoad.Outcome.ACKNOWLEDGED;
 * });
 * load.awaitAcknowledged(500, Duration.ofSeconds(30));
 * // inject the fault
 * load.stop();
 * assertThat(load.failed(), is(0L));
 * }</pre>
 */
public final class RequestLoad {
    private static final int KEPT_FAILURES = 20;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new ArrayList<>();

    private RequestLoad() {
    }

    /**
     * Start the workers.
     *
     * @param workers number of concurrent workers
     * @param request one request; returns how it ended, or throws (counted as failed)
     * @return the running load
     */
    public static RequestLoad start(int workers, Request request) {
        RequestLoad load = new RequestLoad();
        for (int i = 0; i < workers; i++) {
            load.workers.add(Thread.ofVirtual().name("load-" + i).start(() -> load.run(request)));
        }
        return load;
    }

    /**
     * Wait until at least this many requests were acknowledged in total.
     *
     * @param count   acknowledged requests to wait for
     * @param timeout longest wait
     * @throws IllegalStateException if they were not acknowledged in time
     */
    public void awaitAcknowledged(long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Only " + acknowledged.get() + " of " + count + " requests acknowledged within "
                                                        + timeout + "; failures: " + failures);
            }
            sleep(10);
        }
    }

    /**
     * Stop the workers and wait for their last requests to end.
     */
    public void stop() {
        running.set(false);
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while stopping the load", e);
            }
        }
    }

    /**
     * Requests sent (ended or not).
     *
     * @return count
     */
    public long sent() {
        return sent.get();
    }

    /**
     * Requests acknowledged.
     *
     * @return count
     */
    public long acknowledged() {
        return acknowledged.get();
    }

    /**
     * Requests refused cleanly ({@link Outcome#REFUSED}).
     *
     * @return count
     */
    public long refused() {
        return refused.get();
    }

    /**
     * Requests that failed: threw, or ended in a way the test did not expect.
     *
     * @return count
     */
    public long failed() {
        return failed.get();
    }

    /**
     * Descriptions of the first failures, for assertion messages.
     *
     * @return up to 20 descriptions
     */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    private void run(Request request) {
        while (running.get()) {
            sent.incrementAndGet();
            try {
                switch (request.send()) {
                case ACKNOWLEDGED -> acknowledged.incrementAndGet();
                case REFUSED -> refused.incrementAndGet();
                }
            } catch (Exception | AssertionError e) {
                failed.incrementAndGet();
                if (failures.size() < KEPT_FAILURES) {
                    failures.add(e.toString());
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the load", e);
        }
    }

    /** How a request ended, when it did not throw. */
    public enum Outcome {
        /** Done and confirmed (e.g. a 2xx answer). */
        ACKNOWLEDGED,
        /** Refused cleanly in a way the test expects (e.g. a 503 problem with Retry-After during an outage). */
        REFUSED
    }

    /** One request of the load. */
    @FunctionalInterface
    public interface Request {
        /**
         * Send it and wait for the answer.
         *
         * @return how it ended
         * @throws Exception a failure (counted as failed); so is an {@link AssertionError}
         */
        Outcome send() throws Exception;
    }
}
