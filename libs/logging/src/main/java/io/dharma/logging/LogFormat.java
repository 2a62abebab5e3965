package io.dharma.logging;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import io.helidon.config.Config;

import org.jspecify.annotations.Nullable;

/**
 * Output format of the log lines; exactly one is active at a time.
 */
enum LogFormat {
    /**
     * One JSON object per line (production).
     */
    JSON,
    /**
     * One human-readable line per event (local work).
     */
    TEXT;

    /** The one environment variable of the format: Helidon maps it to {@code logging.format}. */
    static final String ENV_VARIABLE = "LOGGING_FORMAT";

    private static volatile LogFormat active = fromEnvironment(System::getenv).orElse(JSON);

    static LogFormat active() {
        return active;
    }

    static void activate(LogFormat format) {
        active = format;
    }

    static Optional<LogFormat> parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> Optional.of(JSON);
            case "text" -> Optional.of(TEXT);
            default -> Optional.empty();
        };
    }

    /**
     * {@code format} of the logging node (which Helidon fills from env {@code LOGGING_FORMAT}), then env
     * {@code LOGGING_FORMAT} (for config without the env source), then JSON.
     */
    static LogFormat select(Config loggingNode, Function<String, @Nullable String> env) {
        Optional<String> configured = loggingNode.get("format").asString().asOptional()
                .or(() -> Optional.ofNullable(env.apply(ENV_VARIABLE)))
                .filter(s -> !s.isBlank());
        if (configured.isEmpty()) {
            return JSON;
        }
        return parse(configured.get())
                .orElseThrow(() -> new LoggingConfigException("Unknown logging.format '" + configured.get() + "', use json or text"));
    }

    private static Optional<LogFormat> fromEnvironment(Function<String, @Nullable String> env) {
        return Optional.ofNullable(env.apply(ENV_VARIABLE)).flatMap(LogFormat::parse);
    }
}
