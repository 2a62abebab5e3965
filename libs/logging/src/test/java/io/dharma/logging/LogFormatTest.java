package io.dharma.logging;

import java.util.Map;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogFormatTest {
    private static final Function<String, @Nullable String> NO_ENV = name -> null;

    @Test
    void jsonIsTheDefault() {
        assertThat(LogFormat.select(Config.empty(), NO_ENV), is(LogFormat.JSON));
    }

    @Test
    void configuredFormatIsUsedIgnoringCase() {
        assertThat(LogFormat.select(node("format", "TEXT"), NO_ENV), is(LogFormat.TEXT));
        assertThat(LogFormat.select(node("format", "json"), NO_ENV), is(LogFormat.JSON));
    }

    @Test
    void configWinsOverTheEnvironmentVariableItIsFilledFrom() {
        assertThat(LogFormat.select(node("format", "json"), env(Map.of("LOGGING_FORMAT", "text"))), is(LogFormat.JSON));
    }

    @Test
    void loggingFormatEnvironmentVariableIsReadWhenConfigHasNoEnvSource() {
        assertThat(LogFormat.select(Config.empty(), env(Map.of("LOGGING_FORMAT", "text"))), is(LogFormat.TEXT));
    }

    @Test
    void unknownFormatIsRejected() {
        assertThrows(LoggingConfigException.class, () -> LogFormat.select(node("format", "xml"), NO_ENV));
    }

    private static Config node(String key, String value) {
        return Config.just(ConfigSources.create(Map.of(key, value)));
    }

    private static Function<String, @Nullable String> env(Map<String, String> variables) {
        return variables::get;
    }
}
