package io.dharma.logging;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoggingTest {
    private static final Function<String, @Nullable String> NO_ENV = name -> null;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(LoggingTest.class);

    @AfterEach
    void restoreDefaults() {
        Logging.configure(Config.empty(), "test", "0", NO_ENV);
        logbackLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        logbackLogger("io.dharma.test").setLevel(null);
    }

    @Test
    void jsonLinesCarryServiceVersionAndCorrelationId() throws Exception {
        Logging.configure(Config.empty(), "orders", "1.4.2", NO_ENV);
        List<String> lines = capture(() -> {
            MDC.put(CorrelationId.MDC_KEY, "cid-json");
            try {
                LOG.info("json line");
            } finally {
                MDC.remove(CorrelationId.MDC_KEY);
            }
        });
        assertThat(lines, hasSize(1));
        JsonNode event = JSON.readTree(lines.getFirst());
        assertThat(event.path("message").asText(), is("json line"));
        assertThat(event.path("service").asText(), is("orders"));
        assertThat(event.path("version").asText(), is("1.4.2"));
        assertThat(event.path("correlationId").asText(), is("cid-json"));
        assertThat(event.path("level").asText(), is("INFO"));
        assertThat(event.path("logger").asText(), is(LoggingTest.class.getName()));
    }

    @Test
    void textFormatIsSelectableFromConfigAndRedacted() {
        Logging.configure(node(Map.of("format", "text")), "orders", "1", NO_ENV);
        List<String> lines = capture(() -> {
            MDC.put(CorrelationId.MDC_KEY, "cid-text");
            try {
                LOG.info("text line password=hunter2 for jane@example.com");
            } finally {
                MDC.remove(CorrelationId.MDC_KEY);
            }
        });
        assertThat(lines, hasSize(1));
        String line = lines.getFirst();
        assertThat(line, not(startsWith("{")));
        assertThat(line, containsString(" INFO "));
        assertThat(line, containsString("[cid-text] text line password=[REDACTED] for [REDACTED]"));
        assertThat(line, not(containsString("hunter2")));
    }

    @Test
    void formatCanBeSwitchedBackToJson() throws Exception {
        Logging.configure(node(Map.of("format", "text")), "orders", "1", NO_ENV);
        Logging.configure(node(Map.of("format", "json")), "orders", "1", NO_ENV);
        List<String> lines = capture(() -> LOG.info("back to json"));
        assertThat(lines, hasSize(1));
        assertThat(JSON.readTree(lines.getFirst()).path("message").asText(), is("back to json"));
    }

    @Test
    void levelsFromConfigAreAppliedToLogbackAndJul() {
        Logging.configure(node(Map.of("level.root", "WARN", "level.io.dharma.test", "DEBUG")), "orders", "1", NO_ENV);
        assertThat(logbackLogger(Logger.ROOT_LOGGER_NAME).getLevel(), is(Level.WARN));
        assertThat(logbackLogger("io.dharma.test").getLevel(), is(Level.DEBUG));
        assertThat(java.util.logging.Logger.getLogger("io.dharma.test").getLevel(), is(java.util.logging.Level.FINE));

        List<String> lines = capture(() -> {
            LOG.info("below the root level");
            LoggerFactory.getLogger("io.dharma.test.Component").debug("debug enabled here");
        });
        assertThat(lines, hasSize(1));
        assertThat(lines.getFirst(), containsString("debug enabled here"));
    }

    @Test
    void julRecordsComeOutAsJson() throws Exception {
        Logging.configure(Config.empty(), "orders", "1", NO_ENV);
        List<String> lines = capture(() -> java.util.logging.Logger.getLogger("legacy.component").warning("from jul"));
        assertThat(lines, hasSize(1));
        JsonNode event = JSON.readTree(lines.getFirst());
        assertThat(event.path("logger").asText(), is("legacy.component"));
        assertThat(event.path("level").asText(), is("WARN"));
        assertThat(event.path("message").asText(), is("from jul"));
    }

    @Test
    void invalidConfigIsRejectedBeforeAnythingChanges() {
        assertThrows(LoggingConfigException.class,
                     () -> Logging.configure(node(Map.of("format", "text", "level.root", "LOUD")), "s", "1", NO_ENV));
        assertThrows(LoggingConfigException.class, () -> Logging.configure(node(Map.of("format", "xml")), "s", "1", NO_ENV));
        assertThrows(LoggingConfigException.class,
                     () -> Logging.configure(node(Map.of("format", "text", "redaction.patterns.0", "(")), "s", "1", NO_ENV));
        LoggingConfigException wrongType = assertThrows(
                LoggingConfigException.class,
                () -> Logging.configure(node(Map.of("format", "text", "async.queue-size", "many")), "s", "1", NO_ENV));
        assertThat(wrongType.getMessage(), containsString("queue-size"));
        assertThat(LogFormat.active(), is(LogFormat.JSON));
        assertThat(logbackLogger(Logger.ROOT_LOGGER_NAME).getLevel(), is(Level.INFO));
    }

    @Test
    void redactionConfigIsInstalled() {
        Logging.configure(node(Map.of("redaction.keys.0", "pin")), "orders", "1", NO_ENV);
        assertThat(Redactor.current().redact("pin=1234 password=x"), is("pin=[REDACTED] password=x"));
    }

    private static List<String> capture(Runnable logging) {
        try (StdoutCapture out = StdoutCapture.start()) {
            logging.run();
            return out.lines();
        }
    }

    private static Config node(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    private static ch.qos.logback.classic.Logger logbackLogger(String name) {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
    }
}
