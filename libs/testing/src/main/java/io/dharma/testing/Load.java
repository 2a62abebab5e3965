package io.dharma.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;

/**
 * A steady load while a test injects faults or rotates credentials: a few virtual-thread workers send requests in a
 * loop, each outcome is recorded with its start time, and the test asks how many were sent, which statuses came back,
 * which requests broke the rules or got no answer, how long it took to recover and the latency percentiles of a time
 * window. A call that is not HTTP (a database write, a Redis command) returns {@link #DONE} when it is acknowledged.
 * <pre>{@code
 * try (Load load = Load.start(8, Duration.ofMillis(5), (worker, n) -> client.get(path).status())) {
 *     load.await(500, status -> status == 200, Duration.ofSeconds(30));
 *     ... inject a fault, wait, heal ...
 *     load.stop();
 *     assertThat(load.failures(), is(List.of()));
 * }
 * }</pre>
 */
public final class Load implements AutoCloseable {
    /** Status recorded for a request that got no HTTP answer (refused, reset, timed out). */
    public static final int NO_ANSWER = -1;
    /** Status recorded for an answer the call rejected by throwing an {@link AssertionError}. */
    public static final int WRONG_ANSWER = -2;
    /** Status a call that is not HTTP returns for an acknowledged request. */
    public static final int DONE = 200;
    private static final int KEPT_FAILURES = 20;

    private final List<Sample> samples = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> workers = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private volatile long stopNanos;

    private Load() {
    }

    /**
     * One request of a worker.
     */
    @FunctionalInterface
    public interface Call {
        /**
         * Send one request and check its answer.
         *
         * @param worker   worker number, {@code 0..workers-1}
         * @param sequence how many requests this worker sent before
         * @return the HTTP status
         * @throws AssertionError for an answer that breaks the rules (recorded as a violation)
         * @throws Exception      for a request that got no answer (I/O error, timeout)
         */
        int send(int worker, long sequence) throws Exception;
    }

    /**
     * One request's outcome.
     *
     * @param startNanos    {@link System#nanoTime()} when it was sent
     * @param durationNanos time until the answer (or the failure)
     * @param status        HTTP status, {@link #NO_ANSWER} or {@link #WRONG_ANSWER}
     */
    public record Sample(long startNanos, long durationNanos, int status) {
    }

    /**
     * Start workers that call {@code call} until {@link #stop()}.
     *
     * @param workers number of concurrent workers
     * @param pause   pause of a worker after each request ({@link Duration#ZERO}: none)
     * @param call    one request
     * @return the running load
     */
    public static Load start(int workers, Duration pause, Call call) {
        Load load = new Load();
        for (int i = 0; i < workers; i++) {
            int worker = i;
            load.workers.add(Thread.ofVirtual().name("load-" + i).start(() -> load.run(worker, pause, call)));
        }
        return load;
    }

    /**
     * Wait until at least {@code count} requests ended with a matching status.
     *
     * @param count   how many
     * @param status  which statuses count
     * @param timeout longest wait
     * @throws IllegalStateException if they did not in time (with the first failures)
     */
    public void await(long count, IntPredicate status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(status) < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("only " + count(status) + " of " + count + " requests within " + timeout
                                                        + "; statuses " + statuses() + ", failures " + failures());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Stop the workers and wait for their last request (at most 30 s).
     */
    public void stop() {
        if (running.getAndSet(false)) {
            for (Thread worker : workers) {
                try {
                    worker.join(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            stopNanos = System.nanoTime();
        }
    }

    /**
     * Every outcome so far, in order of completion.
     *
     * @return samples
     */
    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /**
     * Requests sent so far.
     *
     * @return count
     */
    public long sent() {
        return samples().size();
    }

    /**
     * Requests that got no HTTP answer.
     *
     * @return count
     */
    public long unanswered() {
        return samples().stream().filter(s -> s.status() == NO_ANSWER).count();
    }

    /**
     * Requests whose status matches.
     *
     * @param status which statuses to count
     * @return count
     */
    public long count(IntPredicate status) {
        return samples().stream().filter(s -> status.test(s.status())).count();
    }

    /**
     * How many of each status came back ({@link #NO_ANSWER}, {@link #WRONG_ANSWER} included).
     *
     * @return status to count, ordered
     */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> counts = new TreeMap<>();
        samples().forEach(s -> counts.merge(s.status(), 1L, Long::sum));
        return counts;
    }

    /**
     * What went wrong with the first 20 requests that broke the rules ({@link #WRONG_ANSWER}) or got no answer
     * ({@link #NO_ANSWER}).
     *
     * @return descriptions
     */
    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /**
     * Requests per second over the whole run (until {@link #stop()}, or now).
     *
     * @return rate
     */
    public double rate() {
        long end = stopNanos == 0 ? System.nanoTime() : stopNanos;
        return sent() * 1e9 / Math.max(1, end - startNanos);
    }

    /**
     * How long after {@code sinceNanos} the answers became good for good: from {@code sinceNanos} to the start of the
     * first request after which every request started (up to the last one) got a good answer.
     *
     * @param sinceNanos {@link System#nanoTime()} of the repair (restart, resume)
     * @param good       what a good status is
     * @return the time, or empty if the last request was still bad
     */
    public Optional<Duration> recovery(long sinceNanos, IntPredicate good) {
        List<Sample> after = samples().stream()
                .filter(s -> s.startNanos() >= sinceNanos)
                .sorted(Comparator.comparingLong(Sample::startNanos))
                .toList();
        long recovered = sinceNanos;
        for (Sample sample : after) {
            if (!good.test(sample.status())) {
                recovered = -1;
            } else if (recovered == -1) {
                recovered = sample.startNanos();
            }
        }
        return after.isEmpty() || recovered == -1 ? Optional.empty() : Optional.of(Duration.ofNanos(recovered - sinceNanos));
    }

    /**
     * A latency percentile of the requests started in a time window.
     *
     * @param fromNanos  window start ({@link System#nanoTime()})
     * @param toNanos    window end
     * @param percentile e.g. 99
     * @return the latency, or empty if no request started in the window
     */
    public Optional<Duration> latency(long fromNanos, long toNanos, double percentile) {
        long[] sorted = samples().stream()
                .filter(s -> s.startNanos() >= fromNanos && s.startNanos() < toNanos)
                .mapToLong(Sample::durationNanos)
                .sorted()
                .toArray();
        if (sorted.length == 0) {
            return Optional.empty();
        }
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return Optional.of(Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, index))]));
    }

    @Override
    public void close() {
        stop();
    }

    private void fail(String description) {
        synchronized (failures) {
            if (failures.size() < KEPT_FAILURES) {
                failures.add(description);
            }
        }
    }

    private void run(int worker, Duration pause, Call call) {
        for (long n = 0; running.get(); n++) {
            long start = System.nanoTime();
            int status;
            try {
                status = call.send(worker, n);
            } catch (AssertionError wrong) {
                status = WRONG_ANSWER;
                fail(wrong.getMessage());
            } catch (Exception noAnswer) {
                // refused, reset, timed out: HttpTestClient and RawHttp wrap I/O errors as UncheckedIOException
                status = NO_ANSWER;
                fail(noAnswer.toString());
            }
            Sample sample = new Sample(start, System.nanoTime() - start, status);
            synchronized (samples) {
                samples.add(sample);
            }
            if (!pause.isZero()) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
