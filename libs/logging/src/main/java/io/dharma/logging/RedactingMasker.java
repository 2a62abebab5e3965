package io.dharma.logging;

import java.math.BigDecimal;
import java.math.BigInteger;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.FieldMasker;
import net.logstash.logback.mask.ValueMasker;
import org.jspecify.annotations.Nullable;

/**
 * Logback wiring for a service's own {@code logback.xml}: masks JSON log output with {@link Redactor#current()}.
 * As a {@link ValueMasker} it redacts every string value (message, MDC values, arguments, stack trace); as a
 * {@link FieldMasker} it replaces the whole value of fields whose name is a sensitive key (MDC keys, structured
 * arguments such as {@code kv("password", x)}, nested fields). Use it in both roles of
 * {@code net.logstash.logback.mask.MaskingJsonGeneratorDecorator}:
 * <pre>{@code
 * <jsonGeneratorDecorator class="net.logstash.logback.mask.MaskingJsonGeneratorDecorator">
 *     <valueMasker class="io.dharma.logging.RedactingMasker"/>
 *     <fieldMasker class="io.dharma.logging.RedactingMasker"/>
 * </jsonGeneratorDecorator>
 * }</pre>
 */
public final class RedactingMasker implements ValueMasker, FieldMasker {
    private static final int MIN_CARD_DIGITS = 13;

    /**
     * Creates the masker; logback instantiates it by class name.
     */
    public RedactingMasker() {
    }

    /**
     * Masks the value of a field whose name is a sensitive key.
     *
     * @param context JSON output context, positioned on the field name
     * @return {@value Redactor#MASK} for a sensitive field, {@code null} to write the value as is
     */
    @Override
    public @Nullable Object mask(JsonStreamContext context) {
        String name = context.getCurrentName();
        if (name != null && Redactor.current().isSensitiveKey(name)) {
            return Redactor.MASK;
        }
        return null;
    }

    /**
     * Redacts a string value.
     *
     * @param context JSON output context
     * @param value   value about to be written
     * @return the redacted string, or {@code null} if nothing had to be masked
     */
    @Override
    public @Nullable Object mask(JsonStreamContext context, Object value) {
        if (value instanceof String text) {
            String redacted = Redactor.current().redact(text);
            // redact() returns the same instance when nothing matched: skip the delegate's writeObject path
            return redacted == text ? null : redacted;
        }
        if (value instanceof Long || value instanceof BigInteger || value instanceof BigDecimal) {
            // a card number logged as a number, e.g. kv("pan", 4111111111111111L)
            String digits = value.toString();
            if (digits.length() >= MIN_CARD_DIGITS && Redactor.current().redact(digits) != digits) {
                return Redactor.MASK;
            }
        }
        return null;
    }
}
