package io.dharma.tracing;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The {@code tracing} node: defaults per exporter and protocol, every key read, clear errors for wrong values. */
class TracingConfigTest {
    @Test
    void aMissingNodeIsZipkinOff() {
        TracingConfig config = read(Map.of());
        assertThat(config.enabled(), is(false));
        assertThat(config.exporter(), is(TracingConfig.Exporter.ZIPKIN));
        assertThat(config.endpoint(), is(TracingConfig.ZIPKIN_ENDPOINT));
        assertThat(config.environment(), is(Optional.empty()));
    }

    @Test
    void theOtlpEndpointFollowsTheProtocolUnlessSet() {
        assertThat(read(Map.of("exporter", "otlp")).endpoint(), is(TracingConfig.OTLP_ENDPOINT));
        assertThat(read(Map.of("exporter", "OTLP", "protocol", "http/protobuf")).endpoint(),
                   is(TracingConfig.OTLP_HTTP_ENDPOINT));
        assertThat(read(Map.of("exporter", "otlp", "endpoint", " ")).endpoint(), is(TracingConfig.OTLP_ENDPOINT));
        assertThat(read(Map.of("exporter", "otlp", "endpoint", "http://collector:4317")).endpoint(),
                   is("http://collector:4317"));
    }

    @Test
    void everyKeyIsRead() {
        TracingConfig config = read(Map.of("enabled", "true", "sampler-ratio", "0.25", "batch-delay", "PT2S",
                                           "export-timeout", "PT3S", "environment", "staging"));
        assertThat(config.enabled(), is(true));
        assertThat(config.samplerRatio(), is(0.25));
        assertThat(config.batchDelay(), is(Duration.ofSeconds(2)));
        assertThat(config.exportTimeout(), is(Duration.ofSeconds(3)));
        assertThat(config.environment(), is(Optional.of("staging")));
        assertThat(read(Map.of("environment", "")).environment(), is(Optional.empty()));
    }

    @Test
    void wrongValuesNameTheirKey() {
        assertThat(assertThrows(TracingConfigException.class, () -> read(Map.of("exporter", "jaeger"))).getMessage(),
                   containsString("tracing.exporter must be zipkin or otlp, was 'jaeger'"));
        assertThat(assertThrows(TracingConfigException.class, () -> read(Map.of("protocol", "udp"))).getMessage(),
                   containsString("tracing.protocol must be grpc or http/protobuf"));
        assertThat(assertThrows(TracingConfigException.class, () -> read(Map.of("sampler-ratio", "-0.1")))
                           .getMessage(), containsString("tracing.sampler-ratio"));
    }

    private static TracingConfig read(Map<String, String> keys) {
        return TracingConfig.create(Config.just(ConfigSources.create(keys)));
    }
}
