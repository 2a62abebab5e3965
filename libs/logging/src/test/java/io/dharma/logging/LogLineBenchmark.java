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
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Not a test: {@code java -cp <test classpath> io.dharma.logging.LogLineBenchmark [encode|log|start]}.
 * encode: CPU ns and bytes allocated per encoded access line, LogstashEncoder (with masking) against JsonLineEncoder.
 * log / access: CPU ns and bytes on the calling thread per access line logged through the configured Logback context,
 * with the {@code kv(..)} call of the access filter or with {@link AccessLog}; add
 * {@code -Dlogback.configurationFile=<the former logback.xml>} for the synchronous LogstashEncoder set-up.
 * CPU time of the measuring thread, not wall time: the machines these run on are shared.
 * start: ms from JVM start to the first line written (run it several times, each in a fresh JVM).
 */
public final class LogLineBenchmark {
    private static final int WARMUP = 100_000;
    private static final int ROUNDS = 5;
    private static final int LINES = 100_000;
    private static volatile long sink;

    private LogLineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "encode" : args[0];
        switch (mode) {
        case "start" -> start();
        case "log" -> log();
        case "access" -> access();
        default -> encode();
        }
    }

    private static void start() {
        long start = System.nanoTime();
        LoggerFactory.getLogger(LogLineBenchmark.class).info("first line");
        long micros = (System.nanoTime() - start) / 1_000;
        long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.err.println("logging ready and first line written in " + micros / 1000 + " ms (" + ms + " ms after JVM start)");
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
        LoggingEvent fields = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "{} {} {} {}ms", null,
                                               new Object[] {LogField.kv("method", "GET"),
                                                             LogField.kv("route", "/api/v1/blueprints/{id}"),
                                                             LogField.kv("status", 200), LogField.kv("duration_ms", 3L),
                                                             LogField.kv("bytes", 512L), LogField.kv("client", "127.0.0.1"),
                                                             LogField.kv("userId", "tester")});
        fields.prepareForDeferredProcessing();
        JsonLineEncoder lines = new JsonLineEncoder();
        JsonLineWriter writer = new JsonLineWriter();
        measure("json-line, LogField arguments, writer thread's reused buffer", () -> {
            writer.reset();
            lines.write(fields, writer);
            sink += writer.length();
        });
        for (Map.Entry<String, Encoder<ILoggingEvent>> entry : encoders(context).entrySet()) {
            Encoder<ILoggingEvent> encoder = entry.getValue();
            if (!encoder.isStarted()) {
                encoder.setContext(context);
                encoder.start();
            }
            System.out.print(entry.getKey() + ": " + new String(encoder.encode(event), java.nio.charset.StandardCharsets.UTF_8));
            measure(entry.getKey(), () -> sink += encoder.encode(event).length);
        }
    }

    private static void log() {
        org.slf4j.Logger access = LoggerFactory.getLogger("access");
        onNullStdout("slf4j+kv", () -> access.info("{} {} {} {}ms", kv("method", "GET"), kv("route", "/api/v1/blueprints/{id}"),
                                                   kv("status", 200), kv("duration_ms", 3L), kv("bytes", 512L),
                                                   kv("client", "127.0.0.1"), kv("userId", "tester")));
    }

    private static void access() {
        AccessLog access = AccessLog.create();
        onNullStdout("AccessLog", () -> access.log("GET", "/api/v1/blueprints/{id}", 200, 3_000_000L, 512L, "127.0.0.1", "tester"));
    }

    // lines written to a null stdout; the per-line cost measured is the calling thread's
    private static void onNullStdout(String name, Runnable line) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        MDC.put(CorrelationId.MDC_KEY, "5f0c6c8e-6b1d-4b8e-9a51-0d7cbd5b8a21");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        // room for a whole round: the cost measured is that of a queued line, not of a dropped one
        Logging.appender(context).ifPresent(a -> a.queueSize(2 * LINES));
        try {
            measure(name, line, Logging::flush);
        } finally {
            System.setOut(original);
        }
        Logging.appender(context).ifPresent(a -> System.err.println(name + ": dropped " + a.dropped() + " lines (queue full)"));
    }

    private static Map<String, Encoder<ILoggingEvent>> encoders(LoggerContext context) {
        Map<String, Encoder<ILoggingEvent>> encoders = new java.util.LinkedHashMap<>();
        encoders.put("logstash", FormerLogstashEncoder.create(context));
        encoders.put("json-line", new JsonLineEncoder());
        return encoders;
    }

    private static void measure(String name, Runnable line) {
        measure(name, line, () -> true);
    }

    private static void measure(String name, Runnable line, java.util.function.BooleanSupplier betweenRounds) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARMUP; i++) {
            line.run();
        }
        for (int round = 0; round < ROUNDS; round++) {
            betweenRounds.getAsBoolean();
            long bytes = threads.getCurrentThreadAllocatedBytes();
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < LINES; i++) {
                line.run();
            }
            long nanos = System.nanoTime() - start;
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            bytes = threads.getCurrentThreadAllocatedBytes() - bytes;
            System.err.printf("%s round %d: %d ns CPU/line (%d ns wall), %d bytes/line%n",
                              name, round, cpu / LINES, nanos / LINES, bytes / LINES);
        }
    }
}
