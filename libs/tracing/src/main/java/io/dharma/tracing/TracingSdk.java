package io.dharma.tracing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.helidon.tracing.providers.opentelemetry.HelidonOpenTelemetry;
import io.helidon.tracing.providers.opentelemetry.OpenTelemetryTracerProvider;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * The OpenTelemetry SDK of a service whose tracing is on, installed as the global OpenTelemetry and Helidon tracer.
 * Kept apart from {@link Tracing} so that a service with tracing off loads none of its classes.
 *
 * @param provider the SDK's tracer provider (flushed and shut down through it)
 * @param tracer   the Helidon tracer over it
 */
record TracingSdk(SdkTracerProvider provider, io.helidon.tracing.Tracer tracer) {
    /**
     * Build the SDK (exporter, sampler, W3C propagation) and install it globally.
     *
     * @param config  configuration, enabled
     * @param service service name
     * @param version service version
     * @return the SDK
     */
    static TracingSdk install(TracingConfig config, String service, String version) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", service)
                .put("service.version", version)
                .build()));
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplerRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter(config))
                                          .setScheduleDelay(config.batchDelay())
                                          .setExporterTimeout(config.exportTimeout())
                                          .build())
                .build();
        // traces only: the SDK's metrics and logs parts (and their jars) are not needed
        OpenTelemetry sdk = new TracesOnly(provider, ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
        io.helidon.tracing.Tracer tracer = HelidonOpenTelemetry.create(sdk, sdk.getTracer(service), Map.of());
        OpenTelemetryTracerProvider.globalTracer(tracer);
        return new TracingSdk(provider, tracer);
    }

    /**
     * Export every finished span now.
     *
     * @param timeout how long to wait
     */
    void flush(Duration timeout) {
        provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Export what is left and stop the exporter.
     *
     * @param timeout how long to wait
     */
    void close(Duration timeout) {
        provider.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static SpanExporter exporter(TracingConfig config) {
        return switch (config.exporter()) {
            case ZIPKIN -> new ZipkinExporter(config.endpoint(), config.exportTimeout());
            case OTLP -> OtlpExporter.create(config.endpoint());
        };
    }

    /** The OpenTelemetry of a service: the SDK's traces, W3C propagation; metrics and logs are the no-op ones. */
    private record TracesOnly(TracerProvider getTracerProvider, ContextPropagators getPropagators) implements OpenTelemetry {
    }
}
