package io.dharma.logging;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.webserver.http.Filter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Entry points of Dharma logging: the correlation id filter and the one-time configuration at startup.
 * <p>
 * Config (the {@code logging} node):
 * <pre>
 * logging:
 *   format: json              # or text; env LOGGING_FORMAT
 *   level:
 *     root: INFO              # root logger; env LOGGING_LEVEL_ROOT, also read before this runs
 *     io.helidon: WARN        # any logger name (nested keys work too: io: {helidon: WARN})
 *   async:                    # lines of these loggers are written by a writer thread, never on the request
 *     enabled: true
 *     queue-size: 8192        # lines waiting to be written; beyond that they are dropped and counted
 *     loggers: [access]
 *   redaction:
 *     enabled: true
 *     keys: [password, token]  # replaces the default sensitive keys
 *     patterns: ["ORD-SECRET-\\d+"]
 * </pre>
 */
public final class Logging {
    /**
     * MDC key (and JSON log field) of the current trace id, set by the tracing library while a request is traced.
     */
    public static final String TRACE_ID_MDC_KEY = "traceId";
    /**
     * MDC key (and JSON log field) of the current span id.
     */
    public static final String SPAN_ID_MDC_KEY = "spanId";
    /**
     * Logger context property (and JSON field) holding the service name.
     */
    static final String SERVICE_PROPERTY = "service";
    /**
     * Logger context property (and JSON field) holding the service version.
     */
    static final String VERSION_PROPERTY = "version";
    private static final String ROOT = "root";
    private static final long FLUSH_TIMEOUT_SECONDS = 10;
    private static final AtomicBoolean JUL_BRIDGED = new AtomicBoolean();

    private Logging() {
    }

    /**
     * The correlation id filter: register it first, so every later filter, handler and log line sees the id.
     * It accepts a valid {@value CorrelationId#HEADER} (else {@value CorrelationId#REQUEST_ID_HEADER}), otherwise
     * generates a UUID; registers it in the request context and in the MDC (key {@value CorrelationId#MDC_KEY}) for
     * the whole request, and echoes it on the response header {@value CorrelationId#HEADER}.
     *
     * @return the correlation id filter
     */
    public static Filter correlationFilter() {
        return CorrelationFilter.INSTANCE;
    }

    /**
     * Configures logging once at startup: bridges {@code java.util.logging} to SLF4J, adds {@code service} and
     * {@code version} to every log line, selects the output format, sets logger levels and installs the redaction
     * rules. The whole node is validated before anything is changed.
     *
     * @param loggingNode the {@code logging} config node (may be missing: defaults apply)
     * @param service     service name, written as field {@code service}
     * @param version     service version, written as field {@code version}
     * @throws LoggingConfigException if the format, a level, the queue size or a redaction pattern is invalid
     */
    public static void configure(Config loggingNode, String service, String version) {
        configure(loggingNode, service, version, System::getenv);
    }

    static void configure(Config loggingNode, String service, String version, Function<String, @Nullable String> env) {
        Redactor redactor;
        LogFormat format;
        Map<String, Level> levels;
        AsyncSettings async;
        try {
            redactor = Redactor.create(loggingNode.get("redaction"));
            format = LogFormat.select(loggingNode, env);
            levels = levels(loggingNode.get("level"));
            async = AsyncSettings.create(loggingNode.get("async"));
        } catch (ConfigException e) {
            // a value of the wrong type (queue-size: many), as Helidon's config reports it
            throw new LoggingConfigException("Invalid logging configuration: " + e.getMessage(), e);
        }

        installJulBridge();
        Redactor.current(redactor);
        logbackContext().ifPresent(context -> {
            // the JSON encoder writes every context property as a top-level field of each line
            context.putProperty(SERVICE_PROPERTY, service);
            context.putProperty(VERSION_PROPERTY, version);
            levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
            appender(context).ifPresent(async::applyTo);
        });
        LogFormat.activate(format);
        DroppedLines.register();
        LoggerFactory.getLogger(Logging.class)
                .debug("Logging configured: format={}, levels={}, redaction={}", format, levels, redactor.enabled());
    }

    /**
     * Waits until every log line queued so far (the access log) is written to stdout, at most ten seconds. Lines are
     * also written on a clean stop without this call; it is for tests that read the output.
     *
     * @return whether everything queued was written in time
     */
    public static boolean flush() {
        Optional<StdoutAppender> appender = logbackContext().flatMap(Logging::appender);
        if (appender.isEmpty()) {
            return true;
        }
        try {
            return appender.get().flush(FLUSH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Optional<StdoutAppender> appender(LoggerContext context) {
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(StdoutAppender.NAME) instanceof StdoutAppender a
                ? Optional.of(a)
                : Optional.empty();
    }

    static void installJulBridge() {
        if (JUL_BRIDGED.compareAndSet(false, true) && !SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    static Map<String, Level> levels(Config levelNode) {
        Map<String, Level> levels = new LinkedHashMap<>();
        if (!levelNode.exists()) {
            return levels;
        }
        if (levelNode.isLeaf()) {
            levels.put(org.slf4j.Logger.ROOT_LOGGER_NAME, level(levelNode, ROOT));
            return levels;
        }
        String prefix = levelNode.key().toString();
        levelNode.traverse().filter(Config::isLeaf).forEach(node -> {
            // a YAML key "io.helidon" and nested keys io: {helidon: ..} both end up as the key io.helidon
            String name = node.key().toString().substring(prefix.isEmpty() ? 0 : prefix.length() + 1);
            String loggerName = ROOT.equalsIgnoreCase(name) ? org.slf4j.Logger.ROOT_LOGGER_NAME : name;
            levels.put(loggerName, level(node, name));
        });
        return levels;
    }

    private static Level level(Config node, String loggerName) {
        String value = node.asString().orElse("").trim().toUpperCase(Locale.ROOT);
        Level level = Level.toLevel(value, null);
        if (level == null) {
            throw new LoggingConfigException("Invalid level '" + value + "' for logger '" + loggerName
                                              + "' in logging.level, use TRACE, DEBUG, INFO, WARN, ERROR or OFF");
        }
        return level;
    }

    private static Optional<LoggerContext> logbackContext() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext context ? Optional.of(context) : Optional.empty();
    }
}
