package io.dharma.logging;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback wiring for a service's own {@code logback.xml}: a {@link PatternLayoutEncoder} for the human-readable text
 * format that passes every formatted line (message, MDC, stack trace) through {@link Redactor#current()}.
 */
public final class RedactingPatternLayoutEncoder extends PatternLayoutEncoder {
    /**
     * Creates the encoder; logback instantiates it by class name.
     */
    public RedactingPatternLayoutEncoder() {
    }

    /**
     * Formats the event with the configured pattern and redacts the result.
     *
     * @param event logging event
     * @return the redacted line, in the configured charset (UTF-8 if none)
     */
    @Override
    public byte[] encode(ILoggingEvent event) {
        String line = Redactor.current().redact(getLayout().doLayout(event));
        Charset charset = getCharset();
        return line.getBytes(charset == null ? StandardCharsets.UTF_8 : charset);
    }
}
