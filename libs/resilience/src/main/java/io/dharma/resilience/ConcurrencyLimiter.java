package io.dharma.resilience;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.http.Filter;

/**
 * A limit on the requests a service handles at once, adapted to measured latency ({@code resilience.concurrency},
 * see {@link ConcurrencyConfig}): past capacity a request is refused at once (503 {@code OVERLOADED} with
 * {@code Retry-After}) instead of queueing behind the others, so the requests admitted keep about their unloaded
 * latency.
 * <pre>{@code
 * ConcurrencyLimiter limiter = ConcurrencyLimiter.create(ConcurrencyConfig.create(config.get("resilience.concurrency")));
 * routing.addFilter(limiter.filter());
 * }</pre>
 * Meters in the global registry: gauges {@code resilience.concurrency.limit} and
 * {@code resilience.concurrency.in.flight}, counter {@code resilience.concurrency.shed}.
 */
public final class ConcurrencyLimiter {
    static final String LIMIT = "resilience.concurrency.limit";
    static final String IN_FLIGHT = "resilience.concurrency.in.flight";
    static final String SHED = "resilience.concurrency.shed";

    private final ConcurrencyConfig config;
    private final Limit limit;
    private final LongSupplier nanoTime;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;

    private ConcurrencyLimiter(ConcurrencyConfig config, Limit limit, LongSupplier nanoTime, MeterRegistry registry) {
        this.config = config;
        this.limit = limit;
        this.nanoTime = nanoTime;
        // a limiter created again (tests, a restarted server in one JVM) takes the gauges over
        registry.remove(LIMIT, List.of());
        registry.remove(IN_FLIGHT, List.of());
        registry.getOrCreate(Gauge.builder(LIMIT, this, ConcurrencyLimiter::limit)
                                     .description("Requests the service admits at once"));
        registry.getOrCreate(Gauge.builder(IN_FLIGHT, this, ConcurrencyLimiter::inFlight)
                                     .description("Requests being handled"));
        this.shed = registry.getOrCreate(Counter.builder(SHED)
                                                 .description("Requests refused with 503 OVERLOADED at the limit"));
    }

    /**
     * A limiter on the system clock, its meters in the global registry.
     *
     * @param config settings
     * @return limiter
     */
    public static ConcurrencyLimiter create(ConcurrencyConfig config) {
        return create(config, System::nanoTime);
    }

    /**
     * A limiter on a clock of the caller's (tests advance it by hand).
     *
     * @param config   settings
     * @param nanoTime monotonic nanoseconds, as {@link System#nanoTime()}
     * @return limiter
     */
    public static ConcurrencyLimiter create(ConcurrencyConfig config, LongSupplier nanoTime) {
        Limit limit = switch (config.algorithm()) {
            case VEGAS -> new VegasLimit(config, nanoTime.getAsLong());
            case FIXED -> Limit.fixed(config.initialLimit());
        };
        return new ConcurrencyLimiter(config, limit, nanoTime, Metrics.globalRegistry());
    }

    /**
     * Admit a request if fewer than {@link #limit()} are in flight; release the permit when it is answered.
     *
     * @return a permit, or empty when the request must be refused (counted as shed)
     */
    public Optional<Permit> tryAcquire() {
        int max = limit.limit();
        while (true) {
            int current = inFlight.get();
            if (current >= max) {
                shed.increment();
                return Optional.empty();
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return Optional.of(new Permit(nanoTime.getAsLong(), current + 1));
            }
        }
    }

    /**
     * Requests admitted at once now.
     *
     * @return limit
     */
    public int limit() {
        return limit.limit();
    }

    /**
     * Requests admitted and not yet answered.
     *
     * @return in flight
     */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Requests refused so far.
     *
     * @return shed requests
     */
    public long shed() {
        return shed.count();
    }

    /**
     * The settings.
     *
     * @return configuration
     */
    public ConcurrencyConfig config() {
        return config;
    }

    /**
     * A filter that admits each request through this limiter or answers 503 {@code OVERLOADED} with
     * {@code Retry-After} at once; install it early, so a refused request costs little.
     *
     * @return filter
     */
    public Filter filter() {
        return new OverloadFilter(this);
    }

    /**
     * A request admitted by {@link #tryAcquire()}; {@link #release()} it exactly once, when it has been answered.
     */
    public final class Permit {
        private final long startNanos;
        private final int admittedAt;
        private boolean released;

        private Permit(long startNanos, int admittedAt) {
            this.startNanos = startNanos;
            this.admittedAt = admittedAt;
        }

        /**
         * The request has been answered: its latency feeds the limit; a second call does nothing.
         */
        public void release() {
            if (released) {
                return;
            }
            released = true;
            inFlight.decrementAndGet();
            long now = nanoTime.getAsLong();
            limit.sample(startNanos, now - startNanos, admittedAt, now);
        }
    }
}
