package io.dharma.logging;

import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.encoder.Encoder;

/**
 * The human-readable line of {@link LogFormat#TEXT}: time, level, thread, logger, correlation id, message, redacted.
 */
final class TextFormat {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} [%X{correlationId:--}] %msg%n";

    private TextFormat() {
    }

    static Encoder<ILoggingEvent> encoder(Context context) {
        RedactingPatternLayoutEncoder encoder = new RedactingPatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }
}
