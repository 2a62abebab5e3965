package io.dharma.tracing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.tracing.Tracer;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * OTLP over HTTP/protobuf: the SDK's own exporter posts finished spans to {@code <endpoint>/v1/traces} as protobuf,
 * received here by a plain HTTP server standing in for the collector.
 */
class OtlpHttpIT {
    private record Export(String path, String contentType, String body) {
    }

    @Test
    void spansArePostedAsProtobufToV1Traces() throws IOException, InterruptedException {
        BlockingQueue<Export> exports = new ArrayBlockingQueue<>(16);
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // protobuf keeps strings as UTF-8 bytes: names and attribute values can be found in the body
            exports.offer(new Export(exchange.getRequestURI().getPath(),
                                     exchange.getRequestHeaders().getFirst("Content-Type"),
                                     new String(body, StandardCharsets.ISO_8859_1)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try (Tracing tracing = Tracing.create(Config.just(ConfigSources.create(Map.of(
                "enabled", "true",
                "exporter", "otlp",
                "protocol", "http/protobuf",
                "endpoint", "http://127.0.0.1:" + collector.getAddress().getPort(),
                "batch-delay", "PT0.1S"))), "tracing-otlp", "2.0.0")) {
            Tracer.global().spanBuilder("otlp-check").start().end();
            tracing.flush();
            Export export = exports.poll(20, TimeUnit.SECONDS);
            assertThat(export, notNullValue());
            assertThat(export.path(), is("/v1/traces"));
            assertThat(export.contentType(), is("application/x-protobuf"));
            assertThat(export.body(), containsString("otlp-check"));
            assertThat(export.body(), containsString("tracing-otlp"));
            assertThat(export.body(), containsString("2.0.0"));
        } finally {
            collector.stop(0);
        }
    }
}
