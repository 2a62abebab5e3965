package io.dharma.logging;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.event.KeyValuePair;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class JsonLineEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMAIL = "jane.doe@example.com";
    private final LoggerContext context = new LoggerContext();
    private final JsonLineEncoder encoder = new JsonLineEncoder();

    JsonLineEncoderTest() {
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.putProperty(Logging.SERVICE_PROPERTY, "orders");
        context.putProperty(Logging.VERSION_PROPERTY, "1.4.2");
        encoder.setContext(context);
        encoder.start();
    }

    @Test
    void sameFieldsAndValuesAsTheFormerLogstashEncoder() throws IOException {
        LoggingEvent event = withMdc(() -> event("access", "{} {} {} {}ms", kv("method", "GET"), kv("route", "/things/{id}"),
                                                 kv("status", 200), kv("duration_ms", 3L), kv("bytes", 512L),
                                                 kv("client", "127.0.0.1"), kv("userId", "tester")));
        ObjectNode ours = (ObjectNode) parse(encoder.encode(event));
        ObjectNode theirs = (ObjectNode) parse(FormerLogstashEncoder.create(context).encode(event));
        assertThat(Instant.parse(ours.remove("timestamp").asText()), is(Instant.parse(theirs.remove("timestamp").asText())));
        assertThat(ours, is(theirs));
        assertThat(ours.path("message").asText(), is("method=GET route=/things/{id} status=200 duration_ms=3ms"));
        assertThat(ours.path("status").isInt(), is(true));
        assertThat(ours.path("correlationId").asText(), is("cid-1"));
    }

    @Test
    void logFieldsAreWrittenLikeStructuredArguments() throws IOException {
        JsonNode fields = parse(encoder.encode(event("app", "{} {}", LogField.kv("orderId", 42L), LogField.kv("paid", true))));
        JsonNode logstash = parse(encoder.encode(event("app", "{} {}", kv("orderId", 42L), kv("paid", true))));
        assertThat(fields.path("message").asText(), is("orderId=42 paid=true"));
        assertThat(fields.path("orderId"), is(logstash.path("orderId")));
        assertThat(fields.path("paid").isBoolean(), is(true));
    }

    @Test
    void everyFieldIsRedacted() throws IOException {
        LoggingEvent event = event("app", "login for {} {} {} {}", EMAIL, LogField.kv("password", "hunter2"),
                                   LogField.kv("note", "mail " + EMAIL), LogField.kv("pan", new BigInteger("4111111111111111")));
        event.setThreadName("worker " + EMAIL);
        event.addKeyValuePair(new KeyValuePair("apiKey", "k-123456"));
        event.addKeyValuePair(new KeyValuePair("contact", EMAIL));
        event.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(new IllegalStateException("no user " + EMAIL)));
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line, not(containsString(EMAIL)));
        assertThat(line, not(containsString("hunter2")));
        assertThat(line, not(containsString("k-123456")));
        assertThat(line, not(containsString("4111111111111111")));
        JsonNode json = parse(line.getBytes(StandardCharsets.UTF_8));
        assertThat(json.path("thread").asText(), is("worker [REDACTED]"));
        assertThat(json.path("password").asText(), is(Redactor.MASK));
        assertThat(json.path("note").asText(), is("mail [REDACTED]"));
        assertThat(json.path("pan").asText(), is(Redactor.MASK));
        assertThat(json.path("apiKey").asText(), is(Redactor.MASK));
        assertThat(json.path("contact").asText(), is(Redactor.MASK));
        assertThat(json.path("stack_trace").asText(), containsString("IllegalStateException: no user [REDACTED]"));
    }

    @Test
    void mdcKeysAndValuesAreRedacted() throws IOException {
        MDC.put("session_token", "abc.def.ghi");
        MDC.put("user", EMAIL);
        LoggingEvent event;
        try {
            event = event("app", "with mdc");
            event.prepareForDeferredProcessing();
        } finally {
            MDC.clear();
        }
        JsonNode json = parse(encoder.encode(event));
        assertThat(json.path("session_token").asText(), is(Redactor.MASK));
        assertThat(json.path("user").asText(), is(Redactor.MASK));
    }

    @Test
    void anyTextRoundTripsThroughTheJson() throws IOException {
        String text = "quote \" backslash \\ newline \n tab \t bell \u0007 e\u0301 \u00e9 \u4e2d \ud83d\ude00 / end";
        assertThat(parse(encoder.encode(event("app", text))).path("message").asText(), is(text));
        assertThat(parse(encoder.encode(event("app", "lone \ud83d surrogate"))).path("message").asText(), is("lone ? surrogate"));
    }

    @Test
    void valuesKeepTheirJsonTypes() throws IOException {
        JsonNode json = parse(encoder.encode(event("app", "types", LogField.kv("int", 7), LogField.kv("double", 1.5),
                                                   LogField.kv("nan", Double.NaN), LogField.kv("none", null),
                                                   LogField.kv("list", List.of(1, 2)), LogField.kv("orderId", 4111111111111112L))));
        assertThat(json.path("int").isInt(), is(true));
        assertThat(json.path("double").asDouble(), is(1.5));
        assertThat(json.path("nan").asText(), is("NaN"));
        assertThat(json.path("none").isNull(), is(true));
        assertThat(json.path("list").asText(), is("[1, 2]"));
        assertThat(json.path("orderId").asLong(), is(4111111111111112L)); // fails the Luhn check: not a card
    }

    @Test
    void timestampsKeepTheirPrecision() throws IOException {
        for (Instant instant : List.of(Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:04:05.120Z"),
                                       Instant.parse("2026-01-02T03:04:05.000120Z"),
                                       Instant.parse("2026-12-31T23:59:59.999999999Z"),
                                       // whole minutes: LocalDateTime.toString() leaves their ":00" out
                                       Instant.parse("2026-12-04T18:57:00Z"), Instant.parse("2026-12-04T18:57:00.218Z"),
                                       Instant.parse("2026-12-04T00:00:00.000000001Z"))) {
            LoggingEvent event = event("app", "at");
            event.setInstant(instant);
            assertThat(Instant.parse(parse(encoder.encode(event)).path("timestamp").asText()), is(instant));
        }
    }

    private LoggingEvent event(String logger, String message, Object... arguments) {
        return new LoggingEvent(JsonLineEncoderTest.class.getName(), context.getLogger(logger), Level.INFO, message, null,
                                arguments);
    }

    private static LoggingEvent withMdc(java.util.function.Supplier<LoggingEvent> event) {
        MDC.put(CorrelationId.MDC_KEY, "cid-1");
        MDC.put(Logging.TRACE_ID_MDC_KEY, "4bf92f3577b34da6a3ce929d0e0e4736");
        try {
            LoggingEvent created = event.get();
            created.prepareForDeferredProcessing(); // takes the MDC of this thread
            return created;
        } finally {
            MDC.clear();
        }
    }

    private static JsonNode parse(byte[] line) throws IOException {
        return JSON.readTree(line);
    }
}
