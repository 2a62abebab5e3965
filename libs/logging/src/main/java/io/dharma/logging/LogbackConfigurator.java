package io.dharma.logging;

import java.util.Locale;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback wiring, found by Logback through {@link java.util.ServiceLoader}: configures logging in code at startup,
 * without parsing XML. Root level from {@code logging.level.root} before the service's config is read (system property
 * {@code logging.level.root} or environment {@code LOGGING_LEVEL_ROOT}, the names Helidon maps to that key; default
 * {@code INFO}),
 * {@code java.util.logging} levels kept in step, one stdout appender writing JSON or text lines (see
 * {@link Logging}), the access log written off the request thread. A {@code logback.xml}, {@code logback-test.xml}
 * or {@code -Dlogback.configurationFile} provided by the service takes over instead.
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {
    static final String LEVEL_PROPERTY = "logging.level.root";
    static final String LEVEL_VARIABLE = "LOGGING_LEVEL_ROOT";
    private static final String CONFIGURATION_FILE_PROPERTY = "logback.configurationFile";

    /**
     * Creates the configurator; Logback instantiates it through the service loader.
     */
    public LogbackConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (customConfiguration()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LevelChangePropagator julLevels = new LevelChangePropagator();
        julLevels.setContext(context);
        julLevels.setResetJUL(true);
        julLevels.start();
        context.addListener(julLevels);

        StdoutAppender appender = new StdoutAppender();
        appender.setContext(context);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel());
        root.addAppender(appender);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("dharma-log-flush").unstarted(appender::close));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private Level rootLevel() {
        String value = System.getProperty(LEVEL_PROPERTY, System.getenv(LEVEL_VARIABLE));
        if (value == null || value.isBlank()) {
            return Level.INFO;
        }
        Level level = Level.toLevel(value.trim().toUpperCase(Locale.ROOT), null);
        if (level == null) {
            addWarn("Invalid " + LEVEL_VARIABLE + " '" + value + "', using INFO");
            return Level.INFO;
        }
        return level;
    }

    private static boolean customConfiguration() {
        ClassLoader loader = LogbackConfigurator.class.getClassLoader();
        return System.getProperty(CONFIGURATION_FILE_PROPERTY) != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null;
    }
}
