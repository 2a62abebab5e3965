package io.dharma.tracing;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Spans in Zipkin's v2 JSON model, read back with a JSON parser: parent, kind, events as annotations, attributes and
 * resource attributes as tags, a failure as {@code error}, any text escaped; and the export's outcome follows
 * Zipkin's answer.
 */
class ZipkinExporterTest {
    private final List<SpanData> finished = new ArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "orders",
                                                       AttributeKey.stringKey("deployment.environment"), "test")))
            .addSpanProcessor(new Collecting(finished))
            .build();
    private final Tracer tracer = provider.get("zipkin-test");
    private HttpServer zipkin;

    @AfterEach
    void stop() {
        provider.close();
        if (zipkin != null) {
            zipkin.stop(0);
        }
    }

    @Test
    void aChildSpanWithEventsAttributesAndAFailure() {
        Span parent = tracer.spanBuilder("parent").startSpan();
        Span child = tracer.spanBuilder("GET /api/\"things\"\n\\\t\r\u0001")
                .setParent(Context.root().with(parent))
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", "GET")
                .setAttribute(AttributeKey.stringArrayKey("roles"), List.of("admin", "user"))
                .setAttribute(AttributeKey.stringKey("deployment.environment"), "own")
                .startSpan();
        child.addEvent("retry");
        child.addEvent("fallback");
        child.setStatus(StatusCode.ERROR, "upstream timed out");
        child.end();
        parent.end();

        JsonObject json = write(finished.getFirst());
        SpanData data = finished.getFirst();
        assertThat(json.getString("traceId"), is(data.getTraceId()));
        assertThat(json.getString("parentId"), is(data.getParentSpanId()));
        assertThat(json.getString("kind"), is("SERVER"));
        assertThat(json.getString("name"), is("GET /api/\"things\"\n\\\t\r\u0001"));
        assertThat(json.getJsonObject("localEndpoint").getString("serviceName"), is("orders"));
        JsonArray annotations = json.getJsonArray("annotations");
        assertThat(annotations.size(), is(2));
        assertThat(annotations.getJsonObject(1).getString("value"), is("fallback"));
        JsonObject tags = json.getJsonObject("tags");
        assertThat(tags.getString("http.request.method"), is("GET"));
        assertThat(tags.getString("roles"), is("admin,user"));
        assertThat("the span's own attribute wins over the resource's", tags.getString("deployment.environment"),
                   is("own"));
        assertThat(tags.getString("otel.scope.name"), is("zipkin-test"));
        assertThat(tags.getString("otel.status_code"), is("ERROR"));
        assertThat(tags.getString("error"), is("upstream timed out"));

        JsonObject root = write(finished.get(1));
        assertThat(root.containsKey("parentId"), is(false));
        assertThat("internal spans have no kind", root.containsKey("kind"), is(false));
        assertThat(root.containsKey("annotations"), is(false));
        assertThat(root.getJsonObject("tags").getString("deployment.environment"), is("test"));
        assertThat(root.getJsonObject("tags").containsKey("error"), is(false));
    }

    @Test
    void aFailureWithoutDescriptionIsTaggedTrueAndAResourceWithoutServiceIsUnknown() {
        try (SdkTracerProvider bare = SdkTracerProvider.builder()
                .setResource(Resource.empty())
                .addSpanProcessor(new Collecting(finished))
                .build()) {
            Span span = bare.get("bare").spanBuilder("failed").startSpan();
            span.setStatus(StatusCode.ERROR);
            span.end();
        }
        JsonObject json = write(finished.getFirst());
        assertThat(json.getJsonObject("localEndpoint").getString("serviceName"), is("unknown_service"));
        assertThat(json.getJsonObject("tags").getString("error"), is("true"));
    }

    @Test
    void theExportSucceedsExactlyWhenZipkinTakesTheSpans() throws IOException {
        tracer.spanBuilder("one").startSpan().end();
        AtomicReference<String> received = new AtomicReference<>();
        AtomicReference<Integer> status = new AtomicReference<>(202);
        zipkin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        zipkin.createContext("/api/v2/spans", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.set(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        zipkin.start();
        ZipkinExporter exporter = new ZipkinExporter("http://127.0.0.1:" + zipkin.getAddress().getPort()
                                                             + "/api/v2/spans", Duration.ofSeconds(5));

        assertThat("nothing to send", exporter.export(List.of()).isSuccess(), is(true));
        assertThat(outcome(exporter.export(finished)), is(true));
        JsonArray sent = Json.createReader(new StringReader(received.get())).readArray();
        assertThat(sent.getJsonObject(0).getString("name"), is("one"));

        status.set(500);
        assertThat(outcome(exporter.export(finished)), is(false));
        assertThat(exporter.flush().isSuccess(), is(true));
        assertThat(exporter.shutdown().isSuccess(), is(true));
    }

    @Test
    void anUnreachableZipkinFailsTheExport() throws IOException {
        tracer.spanBuilder("lost").startSpan().end();
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        ZipkinExporter exporter = new ZipkinExporter("http://127.0.0.1:" + port + "/api/v2/spans", Duration.ofSeconds(2));
        assertThat(outcome(exporter.export(finished)), is(false));
    }

    private static boolean outcome(CompletableResultCode result) {
        return result.join(10, TimeUnit.SECONDS).isSuccess();
    }

    private static JsonObject write(SpanData span) {
        StringBuilder json = new StringBuilder();
        ZipkinExporter.write(span, json);
        return Json.createReader(new StringReader(json.toString())).readObject();
    }

    /** Keeps every finished span. */
    private record Collecting(List<SpanData> spans) implements SpanProcessor {
        @Override
        public void onStart(Context parent, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            spans.add(span.toSpanData());
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }
}
