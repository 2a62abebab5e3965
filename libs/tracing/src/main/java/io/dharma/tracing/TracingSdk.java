package io.dharma.tracing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.helidon.tracing.providers.opentelemetry.HelidonOpenTelemetry;
import io.helidon.tracing.providers.opentelemetry.OpenTelemetryTracerProvider;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.resources.Resource;

/**
 * The OpenTelemetry SDK of a service whose tracing is on, built by the SDK's autoconfiguration and installed as the
 * global OpenTelemetry and Helidon tracer. The {@code tracing} node gives the defaults; the standard {@code OTEL_*}
 * environment variables and {@code otel.*} system properties override them. Kept apart from {@link Tracing} so that a
 * service with tracing off loads none of its classes.
 *
 * @param sdk    the SDK (flushed and shut down through it)
 * @param tracer the Helidon tracer over it
 */
record TracingSdk(OpenTelemetrySdk sdk, io.helidon.tracing.Tracer tracer) {
    /**
     * Build the SDK (exporter, sampler, W3C propagation, resource) and install it globally.
     *
     * @param config  configuration, enabled
     * @param service service name
     * @param version service version
     * @return the SDK
     * @throws TracingConfigException if the SDK's settings are invalid or the exporter is not on the class path
     */
    static TracingSdk install(TracingConfig config, String service, String version) {
        Resource defaults = Resource.create(resource(config, version));
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> properties(config, service))
                    // ours first: OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME win
                    .addResourceCustomizer((resource, properties) -> defaults.merge(resource))
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk();
        } catch (ConfigurationException e) {
            throw new TracingConfigException("tracing: " + e.getMessage() + " (docs/tracing.md)", e);
        }
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
        io.helidon.tracing.Tracer tracer = HelidonOpenTelemetry.create(sdk, sdk.getTracer(service), Map.of());
        OpenTelemetryTracerProvider.globalTracer(tracer);
        return new TracingSdk(sdk, tracer);
    }

    /**
     * The SDK settings the {@code tracing} node gives, as {@code otel.*} properties.
     *
     * @param config  configuration
     * @param service service name
     * @return properties
     */
    static Map<String, String> properties(TracingConfig config, String service) {
        Map<String, String> properties = new HashMap<>();
        properties.put("otel.service.name", service);
        properties.put("otel.traces.sampler", "parentbased_traceidratio");
        properties.put("otel.traces.sampler.arg", Double.toString(config.samplerRatio()));
        properties.put("otel.bsp.schedule.delay", config.batchDelay().toMillis() + "ms");
        properties.put("otel.bsp.export.timeout", config.exportTimeout().toMillis() + "ms");
        properties.put("otel.propagators", "tracecontext,baggage");
        // traces only: Dharma's metrics are Prometheus, its logs JSON lines on stdout
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        switch (config.exporter()) {
        case ZIPKIN -> {
            properties.put("otel.traces.exporter", ZipkinExporterProvider.NAME);
            properties.put("otel.exporter.zipkin.endpoint", config.endpoint());
            properties.put("otel.exporter.zipkin.timeout", config.exportTimeout().toMillis() + "ms");
        }
        case OTLP -> {
            properties.put("otel.traces.exporter", "otlp");
            properties.put("otel.exporter.otlp.protocol", config.protocol());
            properties.put("otel.exporter.otlp.endpoint", config.endpoint());
            properties.put("otel.exporter.otlp.timeout", config.exportTimeout().toMillis() + "ms");
        }
        }
        return properties;
    }

    private static Attributes resource(TracingConfig config, String version) {
        AttributesBuilder attributes = Attributes.builder().put("service.version", version);
        config.environment().ifPresent(environment -> attributes.put("deployment.environment", environment));
        try {
            // the pod name in Kubernetes
            attributes.put("host.name", InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            // no name: the attribute is left out
        }
        return attributes.build();
    }

    /**
     * Export every finished span now.
     *
     * @param timeout how long to wait
     */
    void flush(Duration timeout) {
        sdk.getSdkTracerProvider().forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Export what is left and stop the exporter.
     *
     * @param timeout how long to wait
     */
    void close(Duration timeout) {
        sdk.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
