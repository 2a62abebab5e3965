package io.dharma.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * A growable UTF-8 byte buffer that writes JSON objects, one per line, without an intermediate tree or string.
 * Not thread safe: each writing thread owns one. The buffer keeps its capacity across {@link #reset()}, so a
 * steady stream of lines allocates nothing here.
 */
final class JsonLineWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int INITIAL_CAPACITY = 1024;
    private static final int NANOS_PER_MILLI = 1_000_000;
    private static final int NANOS_PER_MICRO = 1_000;

    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private static final java.time.format.DateTimeFormatter SECOND =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private int length;
    private boolean firstField;
    // the "yyyy-MM-ddTHH:mm:ss" text of the last second written, so a timestamp costs a few digits
    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedSecondText = new byte[0];

    void reset() {
        length = 0;
    }

    /**
     * Drops what was written after a length (a line that failed half-way).
     */
    void truncate(int length) {
        this.length = Math.min(this.length, length);
    }

    int length() {
        return length;
    }

    void startObject() {
        ensure(1);
        buffer[length++] = '{';
        firstField = true;
    }

    void endObjectLine() {
        ensure(2);
        buffer[length++] = '}';
        buffer[length++] = '\n';
    }

    void name(String name) {
        if (!firstField) {
            ensure(1);
            buffer[length++] = ',';
        }
        firstField = false;
        string(name);
        ensure(1);
        buffer[length++] = ':';
    }

    void stringField(String name, String value) {
        name(name);
        string(value);
    }

    /**
     * Writes a JSON number, boolean or {@code null} literal given as text; the caller guarantees it is valid JSON.
     */
    void literal(String text) {
        ascii(text);
    }

    void string(String value) {
        ensure(value.length() + 2);
        buffer[length++] = '"';
        int n = value.length();
        int i = 0;
        // the common case, printable ASCII, fits the room ensured above: no check per character
        for (char c; i < n && (c = value.charAt(i)) >= 0x20 && c < 0x80 && c != '"' && c != '\\'; i++) {
            buffer[length++] = (byte) c;
        }
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ensure(1);
                buffer[length++] = (byte) c;
            } else if (c < 0x80) {
                escape(c);
            } else if (c < 0x800) {
                ensure(2);
                buffer[length++] = (byte) (0xC0 | (c >> 6));
                buffer[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                ensure(4);
                buffer[length++] = (byte) (0xF0 | (cp >> 18));
                buffer[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buffer[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buffer[length++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                ensure(1);
                buffer[length++] = '?'; // a lone surrogate has no UTF-8 form
            } else {
                ensure(3);
                buffer[length++] = (byte) (0xE0 | (c >> 12));
                buffer[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buffer[length++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        ensure(1);
        buffer[length++] = '"';
    }

    /**
     * Writes an ISO-8601 UTC timestamp string with milli, micro or nano precision, as {@link Instant#toString()}.
     */
    void timestamp(Instant instant) {
        long second = instant.getEpochSecond();
        if (second != cachedSecond) {
            // a fixed pattern: LocalDateTime.toString() leaves out ":00" seconds
            cachedSecondText = SECOND.format(LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC))
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            cachedSecond = second;
        }
        int nanos = instant.getNano();
        int digits = nanos % NANOS_PER_MILLI == 0 ? 3 : nanos % NANOS_PER_MICRO == 0 ? 6 : 9;
        int fraction = digits == 3 ? nanos / NANOS_PER_MILLI : digits == 6 ? nanos / NANOS_PER_MICRO : nanos;
        ensure(cachedSecondText.length + digits + 4);
        buffer[length++] = '"';
        System.arraycopy(cachedSecondText, 0, buffer, length, cachedSecondText.length);
        length += cachedSecondText.length;
        buffer[length++] = '.';
        for (int i = digits - 1; i >= 0; i--) {
            buffer[length + i] = (byte) ('0' + fraction % 10);
            fraction /= 10;
        }
        length += digits;
        buffer[length++] = 'Z';
        buffer[length++] = '"';
    }

    void bytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buffer, 0, length);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
    }

    private void escape(char c) {
        ensure(6);
        buffer[length++] = '\\';
        switch (c) {
        case '"' -> buffer[length++] = '"';
        case '\\' -> buffer[length++] = '\\';
        case '\n' -> buffer[length++] = 'n';
        case '\r' -> buffer[length++] = 'r';
        case '\t' -> buffer[length++] = 't';
        case '\b' -> buffer[length++] = 'b';
        case '\f' -> buffer[length++] = 'f';
        default -> {
            buffer[length++] = 'u';
            buffer[length++] = '0';
            buffer[length++] = '0';
            buffer[length++] = HEX[c >> 4];
            buffer[length++] = HEX[c & 0xF];
        }
        }
    }

    private void ensure(int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }
}
