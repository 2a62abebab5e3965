package io.dharma.service;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import io.dharma.metrics.MicrometerBinders;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * The meters Dharma takes from Micrometer's binders rather than naming itself, so stock dashboards read them: JVM and
 * process meters ({@code jvm_memory_used_bytes}, {@code jvm_gc_pause_seconds}, {@code jvm_threads_live_threads},
 * {@code process_cpu_usage}, {@code process_files_open_files} ...) bound here, and the bucket bounds of the timers
 * the binders register (GC pauses; HikariCP's {@code hikaricp_connections_acquire/usage/creation_seconds}, bound by
 * the data library), so every timer is a histogram. Set up once per registry, in the registry {@code /metrics}
 * publishes ({@link MicrometerBinders#registry()}), before any library registers a meter.
 */
final class StandardMeters {
    // GC pauses: sub-millisecond (ZGC) to seconds (a full collection)
    private static final double[] PAUSE_BUCKETS = {0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};
    // waiting for, holding and opening a pooled connection
    private static final double[] POOL_BUCKETS = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
        2.5, 5, 10, 30};
    private static final Set<MeterRegistry> BOUND = Collections.synchronizedSet(Collections.newSetFromMap(
            new WeakHashMap<>()));
    // the GC binder listens to GC notifications until closed: kept for the life of the JVM, once
    private static final JvmGcMetrics GC = new JvmGcMetrics();

    private StandardMeters() {
    }

    /** Set up the registry {@code /metrics} publishes, once. */
    static void bind() {
        MeterRegistry registry = MicrometerBinders.registry();
        if (!BOUND.add(registry)) {
            return;
        }
        // every timer a histogram with buckets, never client-side quantiles (docs/operations.md)
        registry.config().meterFilter(buckets("jvm.gc.", PAUSE_BUCKETS));
        registry.config().meterFilter(buckets("hikaricp.connections.", POOL_BUCKETS));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        GC.bindTo(registry);
    }
    /**
     * A filter that publishes the timers whose names start with a prefix with these bucket bounds (in seconds) and no
     * quantiles.
     *
     * @param prefix  meter name prefix
     * @param seconds bucket upper bounds
     * @return filter
     */
    private static MeterFilter buckets(String prefix, double[] seconds) {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith(prefix)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(Arrays.stream(seconds).map(s -> s * 1e9).toArray()) // nanoseconds
                        .percentiles()
                        .percentilesHistogram(false)
                        .build()
                        .merge(config);
            }
        };
    }
}
