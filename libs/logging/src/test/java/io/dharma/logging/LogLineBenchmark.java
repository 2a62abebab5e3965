package io.dharma.logging;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Not a test: {@code java -cp <test classpath> io.dharma.logging.LogLineBenchmark [encode|log|start]}.
 * encode: ns and bytes allocated per encoded access line, LogstashEncoder (with masking) against JsonLineEncoder.
 * log: ns and bytes on the calling thread per access line logged through the configured Logback context.
 * start: ms from JVM start to the first line written (run it several times, each in a fresh JVM).
 */
public final class LogLineBenchmark {
    private static final int WARMUP = 200_000;
    private static final int ROUNDS = 5;
    private static final int LINES = 200_000;
    private static volatile long sink;

    private LogLineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "encode" : args[0];
        switch (mode) {
        case "start" -> start();
        case "log" -> log();
        default -> encode();
        }
    }

    private static void start() {
        LoggerFactory.getLogger(LogLineBenchmark.class).info("first line");
        long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.err.println("first line after " + ms + " ms");
    }

    private static void encode() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.putProperty("service", "bench");
        context.putProperty("version", "1.0.0");
        Logger logger = context.getLogger("access");
        MDC.put(CorrelationId.MDC_KEY, "5f0c6c8e-6b1d-4b8e-9a51-0d7cbd5b8a21");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "{} {} {} {}ms", null,
                                              new Object[] {kv("method", "GET"), kv("route", "/api/v1/blueprints/{id}"),
                                                            kv("status", 200), kv("duration_ms", 3L), kv("bytes", 512L),
                                                            kv("client", "127.0.0.1"), kv("userId", "tester")});
        event.prepareForDeferredProcessing();
        for (Map.Entry<String, Encoder<ILoggingEvent>> entry : encoders(context).entrySet()) {
            Encoder<ILoggingEvent> encoder = entry.getValue();
            encoder.setContext(context);
            encoder.start();
            System.out.print(entry.getKey() + ": " + new String(encoder.encode(event), java.nio.charset.StandardCharsets.UTF_8));
            measure(entry.getKey(), () -> sink += encoder.encode(event).length);
        }
    }

    private static void log() {
        org.slf4j.Logger access = LoggerFactory.getLogger("access");
        PrintStream original = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        MDC.put(CorrelationId.MDC_KEY, "5f0c6c8e-6b1d-4b8e-9a51-0d7cbd5b8a21");
        try {
            measure("log", () -> access.info("{} {} {} {}ms", kv("method", "GET"), kv("route", "/api/v1/blueprints/{id}"),
                                             kv("status", 200), kv("duration_ms", 3L), kv("bytes", 512L),
                                             kv("client", "127.0.0.1"), kv("userId", "tester")));
        } finally {
            System.setOut(original);
        }
    }

    private static Map<String, Encoder<ILoggingEvent>> encoders(LoggerContext context) {
        LogstashEncoder logstash = new LogstashEncoder();
        logstash.getFieldNames().setTimestamp("timestamp");
        logstash.getFieldNames().setLogger("logger");
        logstash.getFieldNames().setThread("thread");
        logstash.getFieldNames().setVersion("[ignore]");
        logstash.getFieldNames().setLevelValue("[ignore]");
        logstash.setTimeZone("UTC");
        MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
        masking.addValueMasker(new RedactingMasker());
        masking.addFieldMasker(new RedactingMasker());
        masking.start();
        logstash.setJsonGeneratorDecorator(masking);
        return new java.util.LinkedHashMap<>(Map.of("logstash", logstash));
    }

    private static void measure(String name, Runnable line) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARMUP; i++) {
            line.run();
        }
        for (int round = 0; round < ROUNDS; round++) {
            long bytes = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            for (int i = 0; i < LINES; i++) {
                line.run();
            }
            long nanos = System.nanoTime() - start;
            bytes = threads.getCurrentThreadAllocatedBytes() - bytes;
            System.err.printf("%s round %d: %d ns/line, %d bytes/line%n", name, round, nanos / LINES, bytes / LINES);
        }
    }
}
