package io.dharma.logging;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.KeyValuePair;

/**
 * Writes a logging event as one JSON object per line: {@code timestamp}, {@code level}, {@code logger}, {@code thread},
 * {@code message}, every logger context property ({@code service}, {@code version}), every MDC key
 * ({@code correlationId}, {@code traceId}...), {@code stack_trace}, and one field per structured argument
 * ({@link LogField}, logstash {@code kv(..)}) and per SLF4J key-value pair.
 * <p>
 * Every string value (names of logger and thread included) passes through {@link Redactor#current()}; a field whose name is a sensitive key is written as
 * {@value Redactor#MASK} whatever its value; a long number that is a card number is masked too.
 */
final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final int MIN_CARD_DIGITS = 13;

    @Override
    public byte @Nullable [] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        JsonLineWriter writer = new JsonLineWriter();
        write(event, writer);
        return writer.toByteArray();
    }

    @Override
    public byte @Nullable [] footerBytes() {
        return null;
    }

    /**
     * Appends the event as one JSON line to the writer.
     */
    void write(ILoggingEvent event, JsonLineWriter out) {
        Redactor redactor = Redactor.current();
        out.startObject();
        out.name("timestamp");
        out.timestamp(event.getInstant());
        out.stringField("level", event.getLevel().toString());
        out.stringField("logger", redactor.redact(event.getLoggerName()));
        out.stringField("thread", redactor.redact(String.valueOf(event.getThreadName())));
        out.stringField("message", redactor.redact(String.valueOf(event.getFormattedMessage())));
        Map<String, String> properties = event.getLoggerContextVO().getPropertyMap();
        for (Map.Entry<String, String> property : properties.entrySet()) {
            field(out, redactor, property.getKey(), property.getValue());
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        for (Map.Entry<String, String> entry : mdc.entrySet()) {
            field(out, redactor, entry.getKey(), entry.getValue());
        }
        IThrowableProxy throwable = event.getThrowableProxy();
        if (throwable != null) {
            out.stringField("stack_trace", redactor.redact(ThrowableProxyUtil.asString(throwable)));
        }
        Object[] arguments = event.getArgumentArray();
        if (arguments != null) {
            for (Object argument : arguments) {
                if (argument instanceof LogField field) {
                    field(out, redactor, field.name(), field.value());
                } else if (LogstashArguments.isField(argument)) {
                    field(out, redactor, LogstashArguments.name(argument), LogstashArguments.value(argument));
                }
            }
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                field(out, redactor, pair.key, pair.value);
            }
        }
        out.endObjectLine();
    }

    private static void field(JsonLineWriter out, Redactor redactor, String name, @Nullable Object value) {
        out.name(name);
        if (value != null && redactor.isSensitiveKey(name)) {
            out.string(Redactor.MASK);
        } else {
            value(out, redactor, value);
        }
    }

    private static void value(JsonLineWriter out, Redactor redactor, @Nullable Object value) {
        switch (value) {
        case null -> out.literal("null");
        case String text -> out.string(redactor.redact(text));
        case Integer number -> out.literal(number.toString());
        case Short number -> out.literal(number.toString());
        case Byte number -> out.literal(number.toString());
        case Boolean bool -> out.literal(bool.toString());
        case Long number -> integral(out, redactor, number.toString());
        case BigInteger number -> integral(out, redactor, number.toString());
        case BigDecimal number -> integral(out, redactor, number.toString());
        case Double number when Double.isFinite(number) -> out.literal(number.toString());
        case Float number when Float.isFinite(number) -> out.literal(number.toString());
        default -> out.string(redactor.redact(String.valueOf(value)));
        }
    }

    // a card number logged as a number, e.g. kv("pan", 4111111111111111L), is masked like the text form
    private static void integral(JsonLineWriter out, Redactor redactor, String digits) {
        if (digits.length() >= MIN_CARD_DIGITS && redactor.redact(digits) != digits) {
            out.string(Redactor.MASK);
        } else {
            out.literal(digits);
        }
    }
}
