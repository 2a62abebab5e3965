package io.dharma.tracing;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * The {@code tracing} node, read and validated once.
 * <pre>
 * tracing:
 *   enabled: false                   # off in the embedded default: no spans, no exporter
 *   exporter: zipkin                 # zipkin (Zipkin v2 JSON, local runs) | otlp (gRPC, production collectors)
 *   endpoint: http://127.0.0.1:9411/api/v2/spans   # default per exporter; OTLP: http://127.0.0.1:4317
 *   sampler-ratio: 1.0               # share of new traces recorded (0..1); an incoming sampled parent is followed
 *   batch-delay: PT1S                # longest wait before finished spans are exported
 *   export-timeout: PT10S            # per export call
 * </pre>
 *
 * @param enabled       whether spans are recorded and exported
 * @param exporter      where spans go
 * @param endpoint      exporter endpoint
 * @param samplerRatio  share of root traces sampled
 * @param batchDelay    export delay of the batch processor
 * @param exportTimeout timeout of one export
 */
public record TracingConfig(boolean enabled, Exporter exporter, String endpoint, double samplerRatio,
                            Duration batchDelay, Duration exportTimeout) {
    /** Default Zipkin endpoint. */
    public static final String ZIPKIN_ENDPOINT = "http://127.0.0.1:9411/api/v2/spans";
    /** Default OTLP (gRPC) endpoint. */
    public static final String OTLP_ENDPOINT = "http://127.0.0.1:4317";

    /**
     * Validates.
     */
    public TracingConfig {
        if (samplerRatio < 0 || samplerRatio > 1) {
            throw new IllegalArgumentException("tracing.sampler-ratio must be between 0 and 1, was " + samplerRatio);
        }
    }

    /**
     * Read the {@code tracing} node.
     *
     * @param node the {@code tracing} node (may be missing: tracing off)
     * @return configuration
     */
    public static TracingConfig create(Config node) {
        String exporterName = node.get("exporter").asString().orElse("zipkin");
        Exporter exporter;
        try {
            exporter = Exporter.valueOf(exporterName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tracing.exporter must be zipkin or otlp, was '" + exporterName + "'", e);
        }
        Optional<String> endpoint = node.get("endpoint").asString().asOptional().filter(s -> !s.isBlank());
        return new TracingConfig(node.get("enabled").asBoolean().orElse(false),
                                 exporter,
                                 endpoint.orElse(exporter == Exporter.ZIPKIN ? ZIPKIN_ENDPOINT : OTLP_ENDPOINT),
                                 node.get("sampler-ratio").asDouble().orElse(1.0),
                                 node.get("batch-delay").as(Duration.class).orElse(Duration.ofSeconds(1)),
                                 node.get("export-timeout").as(Duration.class).orElse(Duration.ofSeconds(10)));
    }

    /** Where spans are exported. */
    public enum Exporter {
        /** Zipkin v2 JSON over HTTP. */
        ZIPKIN,
        /** OTLP over gRPC. */
        OTLP
    }
}
