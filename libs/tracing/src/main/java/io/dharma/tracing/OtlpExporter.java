package io.dharma.tracing;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The OTLP (gRPC) exporter, for {@code tracing.exporter: otlp}. Its artifact, {@code
 * io.opentelemetry:opentelemetry-exporter-otlp}, is an optional dependency of this library (it brings OkHttp and the
 * Kotlin runtime): a service that exports OTLP declares it; without it, turning OTLP on stops the service at start-up
 * with a message saying so. This class is loaded only then.
 */
final class OtlpExporter {
    private static final String EXPORTER_CLASS = "io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter";

    private OtlpExporter() {
    }

    /**
     * The exporter.
     *
     * @param endpoint the collector's gRPC endpoint
     * @return exporter
     * @throws IllegalStateException if the OTLP exporter is not on the class path
     */
    static SpanExporter create(String endpoint) {
        try {
            Class.forName(EXPORTER_CLASS, false, OtlpExporter.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("tracing.exporter is otlp, but io.opentelemetry:opentelemetry-exporter-otlp "
                                                    + "is not on the class path: add it to the service's dependencies "
                                                    + "(docs/tracing.md)", e);
        }
        return OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build();
    }
}
