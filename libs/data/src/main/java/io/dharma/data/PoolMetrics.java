package io.dharma.data;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.ToDoubleFunction;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/**
 * Concurrency-limit meters in the global registry, tagged {@code pool=<pool name>} like HikariCP's own pool meters;
 * removed again when the {@link Database} closes (so a new instance with the same pool name is not shadowed by stale
 * gauges).
 */
final class PoolMetrics {
    private final MeterRegistry registry;
    private final List<Meter> meters;
    private final Counter rejected;

    private PoolMetrics(MeterRegistry registry, List<Meter> meters, Counter rejected) {
        this.registry = registry;
        this.meters = meters;
        this.rejected = rejected;
    }

    static PoolMetrics register(String poolName, Semaphore permits) {
        MeterRegistry registry = Metrics.globalRegistry();
        List<Tag> tags = List.of(Tag.create("pool", poolName));
        Counter rejected = registry.getOrCreate(Counter.builder("db.concurrency.rejected")
                                                        .description("Calls rejected with 503 because no concurrency "
                                                                             + "permit was free within db.acquire-timeout")
                                                        .tags(tags));
        List<Meter> meters = List.of(
                gauge(registry, "db.concurrency.queued", "Calls waiting for a concurrency permit", permits,
                      Semaphore::getQueueLength, tags),
                rejected);
        return new PoolMetrics(registry, meters, rejected);
    }

    void rejected() {
        rejected.increment();
    }

    void remove() {
        meters.forEach(registry::remove);
    }

    private static <T> Gauge<Double> gauge(MeterRegistry registry,
                                           String name,
                                           String description,
                                           T state,
                                           ToDoubleFunction<T> value,
                                           List<Tag> tags) {
        // the state object is held strongly by the Database, as Micrometer keeps only a weak reference to it
        return registry.getOrCreate(Gauge.builder(name, state, value).description(description).tags(tags));
    }
}
