package io.dharma.logging;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class AccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AccessLog accessLog = AccessLog.create();

    @AfterEach
    void restoreDefaults() {
        Logging.configure(Config.empty(), "test", "0", name -> null);
    }

    @Test
    void lineCarriesTheRequestFieldsAndTheCorrelationId() throws Exception {
        Logging.configure(Config.empty(), "orders", "1.4.2", name -> null);
        List<String> lines = capture(() -> {
            MDC.put(CorrelationId.MDC_KEY, "cid-access");
            try {
                accessLog.log("GET", "/api/v1/orders/{id}", 200, 3_400_000L, 512L, "10.0.0.7", "tester");
            } finally {
                MDC.remove(CorrelationId.MDC_KEY);
            }
        });
        assertThat(lines, hasSize(1));
        JsonNode line = JSON.readTree(lines.getFirst());
        assertThat(line.path("logger").asText(), is(AccessLog.LOGGER_NAME));
        assertThat(line.path("message").asText(), is("method=GET route=/api/v1/orders/{id} status=200 duration_ms=3ms"));
        assertThat(line.path("method").asText(), is("GET"));
        assertThat(line.path("route").asText(), is("/api/v1/orders/{id}"));
        assertThat(line.path("status").asInt(), is(200));
        assertThat(line.path("duration_ms").asLong(), is(3L));
        assertThat(line.path("bytes").asLong(), is(512L));
        assertThat(line.path("client").asText(), is("10.0.0.7"));
        assertThat(line.path("userId").asText(), is("tester"));
        assertThat(line.path("correlationId").asText(), is("cid-access"));
        assertThat(line.path("service").asText(), is("orders"));
        assertThat(line.path("thread").asText(), is(Thread.currentThread().getName()));
    }

    @Test
    void personalDataInTheLineIsRedacted() {
        List<String> lines = capture(() -> accessLog.log("POST", "/login", 401, 1_000_000L, 0L, "10.0.0.7", "jane@example.com"));
        assertThat(lines, hasSize(1));
        assertThat(lines.getFirst(), not(containsString("jane@example.com")));
        assertThat(lines.getFirst(), containsString("\"userId\":\"[REDACTED]\""));
    }

    @Test
    void textFormatLineIsWrittenToo() {
        configure(Map.of("format", "text"));
        List<String> lines = capture(() -> accessLog.log("GET", "/health", 204, 0L, 0L, "10.0.0.7", "-"));
        assertThat(lines, hasSize(1));
        assertThat(lines.getFirst(), containsString(" INFO  [" + Thread.currentThread().getName() + "] access [-] method=GET route=/health status=204 duration_ms=0ms"));
    }

    @Test
    void levelOfTheAccessLoggerTurnsItOff() {
        configure(Map.of("level.access", "WARN"));
        List<String> lines = capture(() -> accessLog.log("GET", "/x", 200, 0L, 0L, "10.0.0.7", "-"));
        assertThat(lines, hasSize(0));
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AccessLog.LOGGER_NAME)).setLevel(null);
    }

    private static void configure(Map<String, String> logging) {
        Logging.configure(Config.just(ConfigSources.create(logging)), "orders", "1", name -> null);
    }

    private static List<String> capture(Runnable logging) {
        try (StdoutCapture out = StdoutCapture.start()) {
            logging.run();
            assertThat(Logging.flush(), is(true));
            return out.lines();
        }
    }
}
