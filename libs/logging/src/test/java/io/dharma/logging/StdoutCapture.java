package io.dharma.logging;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Captures what is written to {@link System#out}. Logback's console appender looks up {@code System.out} on every
 * write, so the lines captured here are exactly what the shipped {@code logback.xml} prints in production.
 */
final class StdoutCapture implements AutoCloseable {
    private final PrintStream original;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private StdoutCapture() {
        this.original = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    }

    static StdoutCapture start() {
        return new StdoutCapture();
    }

    String text() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    List<String> lines() {
        return Arrays.stream(text().split("\n"))
                .filter(line -> !line.isBlank())
                .toList();
    }

    @Override
    public void close() {
        System.out.flush();
        System.setOut(original);
    }
}
