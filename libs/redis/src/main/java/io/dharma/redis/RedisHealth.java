package io.dharma.redis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

import org.jspecify.annotations.Nullable;

/**
 * Whether Redis is usable, as one user of it (the caches, the rate limiter) sees it. The first failure starts an
 * outage: callers stop calling Redis and degrade at once, and one probe at a time is allowed, spaced by a backoff that
 * doubles from {@code probe-backoff} up to {@code max-probe-backoff}; a probe that succeeds ends the outage. The caller
 * decides what a probe is: a real call made by one request (the limiter) or a keyed read on a thread of its own (the
 * caches). Thread safe; it calls nothing itself. Each outage counts in {@code redis.outages} (Prometheus
 * {@code redis_outages_total}) tagged {@code user} ({@code cache}, {@code rate-limit}).
 */
public final class RedisHealth {
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final LongSupplier nanos;
    private final Counter outages;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile @Nullable Outage outage;

    /**
     * Health that starts up.
     *
     * @param user         who uses Redis through it, the {@code user} tag of its metrics (e.g. {@code cache})
     * @param firstBackoff wait before the first probe of an outage
     * @param maxBackoff   longest wait between probes
     * @param nanos        clock, {@link System#nanoTime()} outside tests
     */
    public RedisHealth(String user, Duration firstBackoff, Duration maxBackoff, LongSupplier nanos) {
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.nanos = nanos;
        this.outages = Metrics.globalRegistry().getOrCreate(Counter.builder("redis.outages")
                .description("Outages of Redis: the first failed call after it was usable")
                .tags(List.of(Tag.create("user", user))));
    }

    /**
     * Run a call on an executor and wait at most {@code timeout} for it: a shared client's own timeouts may be longer
     * than a caller's budget. The call is abandoned (interrupted) on timeout.
     *
     * @param executor where the call runs (virtual threads)
     * @param timeout  longest wait
     * @param call     the Redis call
     * @param <T>      reply type
     * @return the reply
     * @throws RedisUnavailable if it failed or did not answer in time, or the caller was interrupted
     */
    public static <T> T within(ExecutorService executor, Duration timeout, Callable<T> call) {
        Future<T> future;
        try {
            future = executor.submit(call);
        } catch (RejectedExecutionException e) {
            throw new RedisUnavailable("closed");
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RedisUnavailable("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RedisUnavailable u ? u : new RedisUnavailable(describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw RedisUnavailable.interrupted();
        }
    }

    /**
     * A failure's description without data: its type and message (Jedis' messages name hosts and commands, not values).
     *
     * @param failure what a Redis call threw
     * @return description
     */
    public static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /**
     * Whether there is no outage.
     *
     * @return whether Redis is usable
     */
    public boolean up() {
        return outage == null;
    }

    /**
     * The current outage, if any.
     *
     * @return outage
     */
    public Optional<Outage> outage() {
        return Optional.ofNullable(outage);
    }

    /**
     * A call failed: starts an outage unless one runs (then this is a probe's failure, see {@link #probeFailed}).
     *
     * @param reason what failed
     * @return whether this started the outage (log it once)
     */
    public synchronized boolean failed(String reason) {
        if (outage != null) {
            return false;
        }
        long now = nanos.getAsLong();
        outage = new Outage(now, reason, firstBackoff, now + firstBackoff.toNanos());
        outages.increment();
        return true;
    }

    /**
     * Claim the probe: true when an outage runs, its backoff has passed and no other probe is running. The caller
     * then tries Redis and reports {@link #recovered()} or {@link #probeFailed(String)}.
     *
     * @return whether this caller probes now
     */
    public boolean tryProbe() {
        Outage current = outage;
        if (current == null || nanos.getAsLong() - current.nextProbe() < 0 || !probing.compareAndSet(false, true)) {
            return false;
        }
        if (outage != current) {
            // the outage ended, or a probe failed and moved the next one, between the read and the claim
            probing.set(false);
            return false;
        }
        return true;
    }

    /**
     * The probe failed: the next one waits twice as long, up to the maximum.
     *
     * @param reason what failed
     */
    public synchronized void probeFailed(String reason) {
        Outage current = outage;
        if (current != null) {
            Duration next = current.backoff().multipliedBy(2).compareTo(maxBackoff) > 0
                    ? maxBackoff
                    : current.backoff().multipliedBy(2);
            outage = new Outage(current.since(), reason, next, nanos.getAsLong() + next.toNanos());
        }
        probing.set(false);
    }

    /**
     * A call or probe succeeded: the outage, if any, ends.
     *
     * @return how long the outage lasted, empty if there was none
     */
    public synchronized Optional<Duration> recovered() {
        Outage ended = outage;
        outage = null;
        probing.set(false);
        return ended == null ? Optional.empty() : Optional.of(Duration.ofNanos(nanos.getAsLong() - ended.since()));
    }

    /**
     * The time until the next probe may run, zero if it may run now or there is no outage.
     *
     * @return wait
     */
    public Duration untilProbe() {
        Outage current = outage;
        return current == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, current.nextProbe() - nanos.getAsLong()));
    }

    /**
     * An outage.
     *
     * @param since     clock reading at the first failure
     * @param reason    the last failure, without data
     * @param backoff   current wait between probes
     * @param nextProbe clock reading from which the next probe may run
     */
    public record Outage(long since, String reason, Duration backoff, long nextProbe) {
    }
}
