package io.dharma.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.dharma.metrics.MicrometerBinders;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * Meters of one cache in the global registry, all tagged {@code cache}. The L1 store through Micrometer's Caffeine
 * binder ({@code cache.gets} with tag {@code result}: hit, miss; {@code cache.puts}, {@code cache.evictions} by size or
 * TTL, {@code cache.eviction.weight}, {@code cache.size}); the two-level cache's own figures: {@code cache.hits} and
 * {@code cache.misses} (tag {@code layer}: l1, l2; an L1 entry an invalidation has overtaken is a miss here, a hit
 * for Caffeine), {@code cache.loads} (tag {@code result}: success, failure), the {@code cache.load.time} timer,
 * {@code cache.invalidations.sent} / {@code .received},
 * {@code cache.stale.drops} (tag {@code layer}: a fill refused because the data may be older than an invalidation),
 * {@code cache.refreshes} (background reloads before expiry) and {@code cache.degraded} (operations done without
 * Redis while it is configured).
 */
final class CacheMetrics {
    // a loader reads the database or a downstream: milliseconds to seconds
    private static final Duration[] LOAD_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5)};

    private final String cache;
    final Counter hitsL1;
    final Counter hitsL2;
    final Counter missesL1;
    final Counter missesL2;
    final Counter loads;
    final Counter loadFailures;
    final Timer loadTime;
    final Counter sent;
    final Counter received;
    final Counter staleL1;
    final Counter staleL2;
    final Counter refreshes;
    final Counter degraded;

    CacheMetrics(String cache) {
        this.cache = cache;
        MeterRegistry registry = Metrics.globalRegistry();
        Tag name = Tag.create("cache", cache);
        hitsL1 = counter(registry, "cache.hits", "Reads answered by the layer", name, "layer", "l1");
        hitsL2 = counter(registry, "cache.hits", "Reads answered by the layer", name, "layer", "l2");
        missesL1 = counter(registry, "cache.misses", "Reads the layer could not answer", name, "layer", "l1");
        missesL2 = counter(registry, "cache.misses", "Reads the layer could not answer", name, "layer", "l2");
        loads = counter(registry, "cache.loads", "Loader calls", name, "result", "success");
        loadFailures = counter(registry, "cache.loads", "Loader calls", name, "result", "failure");
        loadTime = registry.getOrCreate(Timer.builder("cache.load.time")
                                                .description("Time spent in the loader")
                                                .tags(List.of(name))
                                                .buckets(LOAD_BUCKETS)
                                                // buckets, no client-side quantiles (Helidon's default): not
                                                // aggregatable, and costly on every recording
                                                .percentiles(new double[0]));
        sent = counter(registry, "cache.invalidations.sent", "Invalidations published to other instances", name);
        received = counter(registry, "cache.invalidations.received", "Invalidations received from other instances",
                           name);
        staleL1 = counter(registry, "cache.stale.drops", "Fills refused because an invalidation overtook them", name,
                          "layer", "l1");
        staleL2 = counter(registry, "cache.stale.drops", "Fills refused because an invalidation overtook them", name,
                          "layer", "l2");
        refreshes = counter(registry, "cache.refreshes", "Background reloads of entries close to expiry", name);
        degraded = counter(registry, "cache.degraded", "Operations done without Redis because it was slow or down",
                           name);
    }

    /**
     * Publish the L1 store's statistics through Micrometer's Caffeine binder, replacing those of an earlier cache of
     * the same name (the binder holds its cache weakly and would keep reporting the old one).
     *
     * @param store the L1 store, built with {@code recordStats()}
     */
    void bindL1(com.github.benmanes.caffeine.cache.Cache<?, ?> store) {
        io.micrometer.core.instrument.MeterRegistry registry = MicrometerBinders.registry();
        for (String meter : List.of("cache.gets", "cache.puts", "cache.evictions", "cache.eviction.weight", "cache.size")) {
            registry.find(meter).tag("cache", cache).meters().forEach(registry::remove);
        }
        CaffeineCacheMetrics.monitor(registry, store, cache);
    }

    private static Counter counter(MeterRegistry registry, String meter, String description, Tag name, String... tag) {
        List<Tag> tags = new ArrayList<>(List.of(name));
        for (int i = 0; i + 1 < tag.length; i += 2) {
            tags.add(Tag.create(tag[i], tag[i + 1]));
        }
        return registry.getOrCreate(Counter.builder(meter).description(description).tags(tags));
    }
}
