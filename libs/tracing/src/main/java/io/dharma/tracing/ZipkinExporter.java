package io.dharma.tracing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends spans to Zipkin as v2 JSON ({@code POST /api/v2/spans}) with the JDK's {@link HttpClient}: the OpenTelemetry
 * Zipkin exporter would bring OkHttp and the Kotlin runtime along for the same request. Each span carries its
 * attributes and its resource's as tags, its events as annotations, {@code otel.status_code} and {@code error} when it failed, and the
 * service name of its resource as the local endpoint.
 */
final class ZipkinExporter implements SpanExporter {
    private static final Logger LOGGER = LoggerFactory.getLogger(ZipkinExporter.class);
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient client;

    ZipkinExporter(String endpoint, Duration timeout) {
        this.endpoint = URI.create(endpoint);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        if (spans.isEmpty()) {
            return CompletableResultCode.ofSuccess();
        }
        StringBuilder json = new StringBuilder(spans.size() * 512).append('[');
        for (SpanData span : spans) {
            if (json.length() > 1) {
                json.append(',');
            }
            write(span, json);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.append(']').toString()))
                .build();
        CompletableResultCode result = new CompletableResultCode();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                result.succeed();
            } else {
                LOGGER.warn("Zipkin at {} did not take {} spans: {}", endpoint, spans.size(),
                            failure == null ? "status " + response.statusCode() : failure.toString());
                result.fail();
            }
        });
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    /** One span in Zipkin's v2 JSON model. */
    static void write(SpanData span, StringBuilder json) {
        json.append("{\"traceId\":\"").append(span.getTraceId())
                .append("\",\"id\":\"").append(span.getSpanId()).append('"');
        if (span.getParentSpanContext().isValid()) {
            json.append(",\"parentId\":\"").append(span.getParentSpanId()).append('"');
        }
        if (span.getKind() != SpanKind.INTERNAL) {
            json.append(",\"kind\":\"").append(span.getKind().name()).append('"');
        }
        json.append(",\"name\":");
        string(span.getName(), json);
        long start = TimeUnit.NANOSECONDS.toMicros(span.getStartEpochNanos());
        json.append(",\"timestamp\":").append(start)
                .append(",\"duration\":")
                .append(Math.max(1, TimeUnit.NANOSECONDS.toMicros(span.getEndEpochNanos()) - start));
        String service = span.getResource().getAttribute(SERVICE_NAME);
        json.append(",\"localEndpoint\":{\"serviceName\":");
        string(service == null ? "unknown_service" : service, json);
        json.append('}');
        List<EventData> events = span.getEvents();
        if (!events.isEmpty()) {
            json.append(",\"annotations\":[");
            for (int i = 0; i < events.size(); i++) {
                json.append(i == 0 ? "{\"timestamp\":" : ",{\"timestamp\":")
                        .append(TimeUnit.NANOSECONDS.toMicros(events.get(i).getEpochNanos()))
                        .append(",\"value\":");
                string(events.get(i).getName(), json);
                json.append('}');
            }
            json.append(']');
        }
        json.append(",\"tags\":{");
        int[] count = {0};
        span.getAttributes().forEach((key, value) -> tag(key.getKey(), value instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value), json, count));
        // Zipkin has no resource: its attributes (service.version, deployment.environment, host.name ...) are tags
        span.getResource().getAttributes().forEach((key, value) -> {
            if (!key.getKey().equals(SERVICE_NAME.getKey()) && !key.getKey().startsWith("telemetry.")
                    && span.getAttributes().get(key) == null) {
                tag(key.getKey(), String.valueOf(value), json, count);
            }
        });
        tag("otel.scope.name", span.getInstrumentationScopeInfo().getName(), json, count);
        if (span.getStatus().getStatusCode() == StatusCode.ERROR) {
            tag("otel.status_code", "ERROR", json, count);
            String description = span.getStatus().getDescription();
            tag("error", description == null || description.isEmpty() ? "true" : description, json, count);
        }
        json.append("}}");
    }

    private static void tag(String key, String value, StringBuilder json, int[] count) {
        if (count[0]++ > 0) {
            json.append(',');
        }
        string(key, json);
        json.append(':');
        string(value, json);
    }

    /** A JSON string literal. */
    private static void string(String text, StringBuilder json) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
