package io.dharma.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * The {@code tracing} node, read and validated once.
 * <pre>
 * tracing:
 *   enabled: false                   # off in the embedded default: no spans, no exporter
 *   exporter: zipkin                 # zipkin (Zipkin v2 JSON, local runs) | otlp (production collectors)
 *   protocol: grpc                   # otlp only: grpc | http/protobuf
 *   endpoint: http://127.0.0.1:9411/api/v2/spans   # default per exporter; OTLP: :4317 (gRPC), :4318 (HTTP)
 *   sampler-ratio: 1.0               # share of new traces recorded (0..1); an incoming sampled parent is followed
 *   batch-delay: PT1S                # longest wait before finished spans are exported
 *   export-timeout: PT10S            # per export call
 *   environment: prod                # resource attribute deployment.environment (unset: not sent)
 * </pre>
 * These are defaults for the OpenTelemetry SDK's own settings: the standard {@code OTEL_*} environment variables
 * (and {@code otel.*} system properties) override them, e.g. {@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code OTEL_TRACES_SAMPLER}, {@code OTEL_RESOURCE_ATTRIBUTES}.
 *
 * @param enabled       whether spans are recorded and exported
 * @param exporter      where spans go
 * @param endpoint      exporter endpoint
 * @param samplerRatio  share of root traces sampled
 * @param batchDelay    export delay of the batch processor
 * @param exportTimeout timeout of one export
 * @param protocol      OTLP transport: {@code grpc} or {@code http/protobuf}
 * @param environment   {@code deployment.environment} resource attribute, if set
 */
record TracingConfig(boolean enabled, Exporter exporter, String endpoint, double samplerRatio,
                            Duration batchDelay, Duration exportTimeout, String protocol,
                            Optional<String> environment) {
    /** Default Zipkin endpoint. */
    static final String ZIPKIN_ENDPOINT = "http://127.0.0.1:9411/api/v2/spans";
    /** Default OTLP (gRPC) endpoint. */
    static final String OTLP_ENDPOINT = "http://127.0.0.1:4317";
    /** Default OTLP (HTTP/protobuf) endpoint: the base, {@code /v1/traces} is appended. */
    static final String OTLP_HTTP_ENDPOINT = "http://127.0.0.1:4318";
    private static final List<String> PROTOCOLS = List.of("grpc", "http/protobuf");

    /**
     * Validates.
     */
    public TracingConfig {
        if (samplerRatio < 0 || samplerRatio > 1) {
            throw new TracingConfigException("tracing.sampler-ratio must be between 0 and 1, was " + samplerRatio);
        }
        if (!PROTOCOLS.contains(protocol)) {
            throw new TracingConfigException("tracing.protocol must be grpc or http/protobuf, was '" + protocol + "'");
        }
    }

    /**
     * Read the {@code tracing} node.
     *
     * @param node the {@code tracing} node (may be missing: tracing off)
     * @return configuration
     */
    static TracingConfig create(Config node) {
        String exporterName = node.get("exporter").asString().orElse("zipkin");
        Exporter exporter;
        try {
            exporter = Exporter.valueOf(exporterName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TracingConfigException("tracing.exporter must be zipkin or otlp, was '" + exporterName + "'", e);
        }
        Optional<String> endpoint = node.get("endpoint").asString().asOptional().filter(s -> !s.isBlank());
        String protocol = node.get("protocol").asString().orElse("grpc");
        String defaultEndpoint = switch (exporter) {
            case ZIPKIN -> ZIPKIN_ENDPOINT;
            case OTLP -> protocol.equals("grpc") ? OTLP_ENDPOINT : OTLP_HTTP_ENDPOINT;
        };
        return new TracingConfig(node.get("enabled").asBoolean().orElse(false),
                                 exporter,
                                 endpoint.orElse(defaultEndpoint),
                                 node.get("sampler-ratio").asDouble().orElse(1.0),
                                 node.get("batch-delay").as(Duration.class).orElse(Duration.ofSeconds(1)),
                                 node.get("export-timeout").as(Duration.class).orElse(Duration.ofSeconds(10)),
                                 protocol,
                                 node.get("environment").asString().asOptional().filter(s -> !s.isBlank()));
    }

    /** Where spans are exported. */
    enum Exporter {
        /** Zipkin v2 JSON over HTTP. */
        ZIPKIN,
        /** OTLP over gRPC or HTTP/protobuf. */
        OTLP
    }
}
