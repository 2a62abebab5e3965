package io.dharma.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Plants known secrets in every way a service can log them and checks the real stdout produced by the shipped
 * {@code logback.xml}: no secret may reach it, ordinary text must survive, and every line must be a JSON event.
 */
class LoggingRedactionIT {
    private static final String PASSWORD = "Hunter2-Pa55word";
    private static final String JWT_SIGNATURE = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ." + JWT_SIGNATURE;
    private static final String BEARER_TOKEN = "mF_9.B5f-4.1JqM";
    private static final String CARD = "4111 1111 1111 1111";
    private static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String EMAIL = "jane.doe@example.com";
    private static final String REGISTERED = "vault-db-S3cr3t-9f3k";
    private static final List<String> SECRETS = List.of(PASSWORD, JWT_SIGNATURE, BEARER_TOKEN, CARD, CARD.replace(" ", ""),
                                                        AWS_KEY, EMAIL, URLEncoder.encode(EMAIL, StandardCharsets.UTF_8),
                                                        REGISTERED);
    // fails the Luhn check: an order id, not a card, so it must survive
    private static final String ORDER_ID = "4111 1111 1111 1112";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String REQUEST_ID = "it-request-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String output;
    private static List<JsonNode> events;

    @BeforeAll
    static void logSecretsEverywhere() {
        try (StdoutCapture out = StdoutCapture.start()) {
            Logging.configure(Config.just(ConfigSources.create(Map.of("logging.format", "json"))).get("logging"),
                              "redaction-it", "9.9.9");
            Redactor.registerSecret(REGISTERED);
            logThroughSlf4j(LoggerFactory.getLogger(LoggingRedactionIT.class));
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger("legacy.jul");
            jul.warning("jul Authorization: Bearer " + BEARER_TOKEN);
            jul.log(java.util.logging.Level.INFO, "jul card {0}", CARD);
            System.getLogger("platform.logger")
                    .log(System.Logger.Level.INFO, "aws key " + AWS_KEY + " registered " + REGISTERED);
            logThroughHttpServer();
            output = out.text();
            events = parse(out.lines());
        }
    }

    @Test
    void noSecretReachesTheOutput() {
        assertThat(events.size(), greaterThan(10));
        for (String secret : SECRETS) {
            assertThat("raw output contains " + secret, output, not(containsString(secret)));
            for (JsonNode event : events) {
                assertThat("decoded event contains " + secret, strings(event).toString(), not(containsString(secret)));
            }
        }
    }

    @Test
    void everyLineIsAJsonEventWithTheStandardFields() {
        for (JsonNode event : events) {
            for (String field : List.of("timestamp", "level", "logger", "thread", "message")) {
                assertThat(field + " missing in " + event, event.hasNonNull(field), is(true));
            }
            assertThat(event.path("service").asText(), is("redaction-it"));
            assertThat(event.path("version").asText(), is("9.9.9"));
        }
    }

    @Test
    void messageTextAndArgumentsAreMasked() {
        assertThat(event(e -> message(e).startsWith("login for")).path("message").asText(),
                   is("login for [REDACTED] with password=[REDACTED]"));
        assertThat(event(e -> message(e).startsWith("auth header")).path("message").asText(),
                   is("auth header Bearer [REDACTED], card [REDACTED], key [REDACTED], order " + ORDER_ID));
        assertThat(event(e -> message(e).startsWith("connecting")).path("message").asText(), is("connecting with [REDACTED]"));
    }

    @Test
    void mdcValuesAreMaskedAndTraceIdsKept() {
        JsonNode event = event(e -> message(e).equals("with mdc"));
        assertThat(event.path("session").asText(), is(Redactor.MASK));
        assertThat(event.path("password").asText(), is(Redactor.MASK));
        assertThat(event.path("userEmail").asText(), is(Redactor.MASK));
        assertThat(event.path("traceId").asText(), is(TRACE_ID));
        assertThat(event.path("spanId").asText(), is("00f067aa0ba902b7"));
    }

    @Test
    void structuredArgumentsAreMaskedByKeyAndValue() {
        JsonNode event = event(e -> message(e).startsWith("structured"));
        assertThat(event.path("message").asText(), is("structured client_secret=[REDACTED]"));
        assertThat(event.path("password").asText(), is(Redactor.MASK));
        assertThat(event.path("client_secret").asText(), is(Redactor.MASK));
        assertThat(event.path("card").asText(), is(Redactor.MASK));
        assertThat(event.path("orderId").asText(), is(ORDER_ID));
    }

    @Test
    void exceptionMessagesOfAllCausesAreMasked() {
        String stackTrace = event(e -> message(e).equals("payment failed")).path("stack_trace").asText();
        assertThat(stackTrace, containsString("IllegalStateException: db login failed for [REDACTED]"));
        assertThat(stackTrace, containsString("RuntimeException: token [REDACTED]"));
        assertThat(stackTrace, containsString("IOException: password=[REDACTED]"));
    }

    @Test
    void julAndSystemLoggerLinesAreJsonAndMasked() {
        JsonNode jul = event(e -> e.path("logger").asText().equals("legacy.jul") && e.path("level").asText().equals("WARN"));
        assertThat(jul.path("message").asText(), is("jul Authorization: [REDACTED]"));
        assertThat(event(e -> message(e).startsWith("jul card")).path("message").asText(), is("jul card [REDACTED]"));
        JsonNode platform = event(e -> e.path("logger").asText().equals("platform.logger"));
        assertThat(platform.path("message").asText(), is("aws key [REDACTED] registered [REDACTED]"));
    }

    @Test
    void helidonOwnLinesAreJson() {
        JsonNode started = event(e -> e.path("logger").asText().startsWith("io.helidon.webserver")
                && message(e).startsWith("Started all channels"));
        assertThat(started.path("level").asText(), is("INFO"));
    }

    @Test
    void requestDataLoggedByAHandlerIsMaskedAndCorrelated() {
        JsonNode body = event(e -> message(e).startsWith("body"));
        assertThat(body.path("correlationId").asText(), is(REQUEST_ID));
        assertThat(body.path("message").asText(), containsString("\"password\":\"[REDACTED]\""));
        assertThat(body.path("message").asText(), containsString("\"note\":\"order " + ORDER_ID + "\""));
        assertThat(event(e -> message(e).startsWith("query")).path("message").asText(), containsString("password=[REDACTED]"));
        assertThat(event(e -> message(e).startsWith("authorization header")).path("message").asText(),
                   is("authorization header Bearer [REDACTED]"));
        assertThat(event(e -> message(e).startsWith("headers")).path("correlationId").asText(), is(REQUEST_ID));
    }

    private static void logThroughSlf4j(Logger log) {
        log.info("login for " + EMAIL + " with password=" + PASSWORD);
        log.info("auth header {}, card {}, key {}, order {}", "Bearer " + BEARER_TOKEN, CARD, AWS_KEY, ORDER_ID);
        log.info("connecting with " + REGISTERED);
        MDC.put("session", JWT);
        MDC.put("password", PASSWORD);
        MDC.put("userEmail", EMAIL);
        MDC.put("traceId", TRACE_ID);
        MDC.put("spanId", "00f067aa0ba902b7");
        try {
            log.info("with mdc");
        } finally {
            MDC.clear();
        }
        log.info("structured {}", kv("client_secret", REGISTERED), kv("password", PASSWORD), kv("card", CARD),
                 kv("orderId", ORDER_ID));
        log.error("payment failed", new IllegalStateException("db login failed for " + EMAIL,
                                                              new RuntimeException("token " + JWT,
                                                                                   new IOException("password=" + PASSWORD))));
    }

    private static void logThroughHttpServer() {
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.addFilter(Logging.correlationFilter())
                        .post("/orders", LoggingRedactionIT::order))
                .build()
                .start();
        try {
            Http1Client client = Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build();
            String body = "{\"password\":\"" + PASSWORD + "\",\"card\":\"" + CARD + "\",\"token\":\"" + JWT
                    + "\",\"note\":\"order " + ORDER_ID + "\"}";
            try (Http1ClientResponse response = client.post("/orders")
                    .queryParam("email", EMAIL)
                    .queryParam("password", PASSWORD)
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + BEARER_TOKEN)
                    .header(HeaderNames.create("X-Api-Key"), AWS_KEY)
                    .header(HeaderNames.COOKIE, "session=" + REGISTERED + "; theme=dark")
                    .header(CorrelationId.HEADER_NAME, REQUEST_ID)
                    .contentType(MediaTypes.APPLICATION_JSON)
                    .submit(body)) {
                assertThat(response.status(), is(Status.OK_200));
            }
        } finally {
            server.stop();
        }
    }

    private static void order(ServerRequest req, ServerResponse res) {
        Logger log = LoggerFactory.getLogger("io.dharma.it.OrderService");
        String body = req.content().as(String.class);
        log.info("headers {} {}", req.prologue(), req.headers());
        log.info("query raw {} decoded {}", req.query().rawValue(), req.query().value());
        log.info("authorization header {}", req.headers().first(HeaderNames.AUTHORIZATION).orElse(""));
        log.info("api key {} cookie {}", req.headers().first(HeaderNames.create("X-Api-Key")).orElse(""),
                 req.headers().first(HeaderNames.COOKIE).orElse(""));
        log.info("body {}", body);
        res.send("ok");
    }

    private static JsonNode event(Predicate<JsonNode> predicate) {
        return events.stream()
                .filter(predicate)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no such event in output:\n" + output));
    }

    private static String message(JsonNode event) {
        return event.path("message").asText();
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        }
        node.fields().forEachRemaining(field -> values.addAll(strings(field.getValue())));
        node.elements().forEachRemaining(element -> values.addAll(strings(element)));
        return values;
    }

    private static List<JsonNode> parse(List<String> lines) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines) {
            try {
                parsed.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }
        return parsed;
    }
}
