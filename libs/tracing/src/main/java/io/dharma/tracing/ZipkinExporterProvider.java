package io.dharma.tracing;

import java.time.Duration;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * {@code otel.traces.exporter=zipkin} ({@code OTEL_TRACES_EXPORTER=zipkin}) for the SDK's autoconfiguration: Dharma's
 * {@link ZipkinExporter}, at {@code otel.exporter.zipkin.endpoint} with {@code otel.exporter.zipkin.timeout}, the
 * settings the OpenTelemetry Zipkin exporter reads. Registered as a service provider; public for the
 * {@link java.util.ServiceLoader} only.
 */
public final class ZipkinExporterProvider implements ConfigurableSpanExporterProvider {
    /** The exporter's name in {@code otel.traces.exporter}. */
    static final String NAME = "zipkin";

    /** For the service loader. */
    public ZipkinExporterProvider() {
    }

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        return new ZipkinExporter(config.getString("otel.exporter.zipkin.endpoint", TracingConfig.ZIPKIN_ENDPOINT),
                                  config.getDuration("otel.exporter.zipkin.timeout", Duration.ofSeconds(10)));
    }

    @Override
    public String getName() {
        return NAME;
    }
}
