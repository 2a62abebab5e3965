package io.dharma.metrics;

import io.helidon.metrics.api.Metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * The registry for meters registered through Micrometer's own API rather than Helidon's: the Prometheus registry
 * {@code /metrics} publishes, inside the composite registry behind Helidon's.
 * <p>
 * Not the composite itself: Helidon 4.1.2 listens to meters added to the composite and takes its own lock inside the
 * composite's, while a meter registered through Helidon's API takes the two locks in the other order. A binder
 * registering a meter on the composite (the GC binder on the JVM's notification thread, a Caffeine binder for a cache
 * created while requests are served) at the moment a request registers a new label combination through Helidon
 * deadlocks both threads. Registered here, a meter takes only this registry's lock. Such meters are published like
 * the others but are not seen by Helidon's metrics API and carry no {@code scope} label.
 */
public final class MicrometerBinders {
    private MicrometerBinders() {
    }

    /**
     * The registry to bind Micrometer binders to.
     *
     * @return the Prometheus registry inside Helidon's composite registry, the one {@code /metrics} publishes (the
     *         composite may hold others, added with Micrometer's {@code Metrics.addRegistry})
     * @throws IllegalStateException when Helidon's composite holds no Prometheus registry: Helidon's metrics are not
     *                               set up as Dharma's services set them up
     */
    public static MeterRegistry registry() {
        CompositeMeterRegistry composite = Metrics.globalRegistry().unwrap(CompositeMeterRegistry.class);
        return composite.getRegistries().stream()
                .filter(PrometheusMeterRegistry.class::isInstance)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Helidon's metrics registry publishes no Prometheus registry"));
    }
}
