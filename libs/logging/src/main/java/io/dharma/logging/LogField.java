package io.dharma.logging;

import org.jspecify.annotations.Nullable;

/**
 * A named value passed as a log argument: it fills its {@code {}} in the message as {@code name=value} and is
 * written as its own JSON field (numbers and booleans as JSON literals), redacted like every other field.
 * <pre>{@code
 * log.info("paid {}", LogField.kv("orderId", 42));   // "message":"paid orderId=42", "orderId":42
 * }</pre>
 *
 * @param name  field name
 * @param value field value; {@code null} is written as JSON {@code null}
 */
public record LogField(String name, @Nullable Object value) {
    /**
     * A named value for a log argument.
     *
     * @param name  field name
     * @param value field value
     * @return the field
     */
    public static LogField kv(String name, @Nullable Object value) {
        return new LogField(name, value);
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
