package io.dharma.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.providers.micrometer.MicrometerPrometheusFormatter;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The binders' registry against Helidon's real Micrometer provider: what is registered there is published by the
 * formatter {@code /metrics} uses, and registering there while requests register meters through Helidon's API never
 * blocks (on Helidon's composite registry the two lock in opposite orders and can deadlock).
 */
class MicrometerBindersTest {
    private static final int ROUNDS = 2_000;

    @Test
    void theRegistryIsThePublishedOneInsideHelidonsComposite() {
        io.micrometer.core.instrument.MeterRegistry registry = MicrometerBinders.registry();
        assertThat(registry, instanceOf(PrometheusMeterRegistry.class));
        assertThat(Metrics.globalRegistry().unwrap(CompositeMeterRegistry.class).getRegistries().contains(registry),
                   is(true));

        Timer.builder("binders.test.pause").tag("cause", "test").register(registry).record(3, TimeUnit.MILLISECONDS);

        String published = (String) MicrometerPrometheusFormatter.builder(Metrics.globalRegistry()).build().format()
                .orElseThrow();
        assertThat(published, containsString("binders_test_pause_seconds_count{cause=\"test\",} 1.0"));
    }

    @Test
    void registeringThroughBothApisAtOnceNeverBlocks() throws Exception {
        MeterRegistry helidon = Metrics.globalRegistry();
        io.micrometer.core.instrument.MeterRegistry binders = MicrometerBinders.registry();
        List<Future<?>> registrars = new ArrayList<>();
        // daemon threads, not awaited: deadlocked ones must not keep the test JVM alive
        ExecutorService threads = Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().factory());
        try {
            for (int t = 0; t < 2; t++) {
                String thread = Integer.toString(t);
                // a request thread meeting new label combinations
                registrars.add(threads.submit(() -> {
                    for (int i = 0; i < ROUNDS; i++) {
                        helidon.getOrCreate(Counter.builder("binders.test.requests")
                                                    .tags(List.of(io.helidon.metrics.api.Tag.create("uri", thread + i))))
                                .increment();
                    }
                }));
                // a binder registering on another thread (GC notifications, a cache created at run time)
                registrars.add(threads.submit(() -> {
                    for (int i = 0; i < ROUNDS; i++) {
                        Timer.builder("binders.test.gc").tag("cause", thread + i).register(binders)
                                .record(1, TimeUnit.MILLISECONDS);
                    }
                }));
            }
            for (Future<?> registrar : registrars) {
                try {
                    registrar.get(60, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("registration blocked: the two registration paths wait on each other");
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(binders.find("binders.test.gc").timers().size(), is(2 * ROUNDS));
        assertThat(helidon.meters(m -> m.id().name().equals("binders.test.requests")).size(), is(2 * ROUNDS));
    }
}
