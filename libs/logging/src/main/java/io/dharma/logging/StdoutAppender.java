package io.dharma.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;

/**
 * Writes every event as one line (JSON or text, whichever {@link LogFormat} is active) to {@link System#out}.
 * Events of the loggers named in {@link #asyncLoggers(Set)} (the access log) are only queued on the calling thread and
 * written by one writer thread, in batches: it wakes every millisecond while lines arrive (backing off to
 * {@value #MAX_PAUSE_MILLIS} ms when idle), never once per line, so a request pays a lock-free enqueue and no wake-up
 * or write call of its own. When the queue is full lines are dropped, counted ({@link #dropped()}, the metric
 * {@value DroppedLines#METRIC}) and reported in a warning line, so a request never waits for the log. Every other
 * event is written on the calling thread, so diagnostic lines are never lost, even on a crash. {@link #stop()} (and the
 * shutdown hook) writes whatever is queued before returning.
 */
final class StdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    static final String NAME = "STDOUT";
    static final int DEFAULT_QUEUE_SIZE = 8192;
    static final Set<String> DEFAULT_ASYNC_LOGGERS = Set.of(AccessLog.LOGGER_NAME);
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final int MAX_BATCH_BYTES = 64 * 1024;
    private static final long MIN_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PAUSE_MILLIS = 50;
    private static final Object STOP = new Object();

    // configuration: may change after start (Logging.configure)
    private final Supplier<OutputStream> output;
    private volatile int queueSize = DEFAULT_QUEUE_SIZE;
    private volatile Set<String> asyncLoggers = DEFAULT_ASYNC_LOGGERS;
    private volatile boolean async = true;
    // runtime
    // events, flush latches and STOP; the writer is woken by time, not by each line (a signal per line costs the
    // request thread a futex call and the writer a context switch per line)
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final DroppedLines droppedLines = new DroppedLines();
    private final JsonLineEncoder json = new JsonLineEncoder();
    private volatile Encoder<ILoggingEvent> text;
    private volatile boolean closed;
    private Thread writer;

    StdoutAppender() {
        this(() -> System.out);
    }

    StdoutAppender(Supplier<OutputStream> output) {
        this.output = output;
        setName(NAME);
    }

    void queueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    void asyncLoggers(Set<String> loggerNames) {
        this.asyncLoggers = Set.copyOf(loggerNames);
    }

    void async(boolean async) {
        this.async = async;
    }

    long dropped() {
        return dropped.sum();
    }

    @Override
    public void start() {
        json.setContext(getContext());
        json.start();
        writer = Thread.ofPlatform().daemon().name("dharma-log-writer").unstarted(this::drainLoop);
        writer.start();
        super.start();
    }

    @Override
    public void stop() {
        close();
        super.stop();
    }

    /**
     * Writes every queued line and makes later events synchronous; called on stop and from the JVM shutdown hook,
     * so no line is lost on a clean stop, including the lines logged while shutting down.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainOnCaller();
    }

    /**
     * Waits until every line queued before this call is written (tests, orderly shutdown).
     */
    boolean flush(long timeout, TimeUnit unit) throws InterruptedException {
        if (closed) {
            return true;
        }
        CountDownLatch written = new CountDownLatch(1);
        queue.add(written);
        LockSupport.unpark(writer);
        return written.await(timeout, unit);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!async || closed || !asyncLoggers.contains(event.getLoggerName())) {
            writeNow(event);
            return;
        }
        if (queued.get() >= queueSize) {
            dropped.increment();
            return;
        }
        prepare(event);
        int pending = queued.incrementAndGet();
        queue.add(event);
        if (pending == Math.max(1, queueSize / 2)) {
            LockSupport.unpark(writer); // a burst: write it now rather than after the writer's pause
        }
        if (closed) {
            drainOnCaller(); // the writer may have left between the check and the add
        }
    }

    // values the writer thread cannot see later: the thread name and MDC of the calling thread, mutable arguments
    private static void prepare(ILoggingEvent event) {
        event.getThreadName();
        event.getMDCPropertyMap();
        if (!immutableArguments(event.getArgumentArray())) {
            event.getFormattedMessage();
        }
    }

    private static boolean immutableArguments(Object[] arguments) {
        if (arguments == null) {
            return true;
        }
        for (Object argument : arguments) {
            Object value = argument instanceof LogField field ? field.value() : argument;
            if (!(value == null || value instanceof String || value instanceof Integer || value instanceof Long
                    || value instanceof Boolean || value instanceof Double)) {
                return false;
            }
        }
        return true;
    }

    private void writeNow(ILoggingEvent event) {
        try {
            OutputStream out = output.get();
            out.write(encoder() == json ? json.encode(event) : encoder().encode(event));
            out.flush();
        } catch (IOException | RuntimeException e) {
            addError("Cannot write a log line", e);
        }
    }

    private void drainOnCaller() {
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof ILoggingEvent event) {
                queued.decrementAndGet();
                writeNow(event);
            } else if (item instanceof CountDownLatch latch) {
                latch.countDown();
            }
        }
    }

    private void drainLoop() {
        JsonLineWriter batch = new JsonLineWriter();
        long pause = MIN_PAUSE_NANOS;
        while (!Thread.currentThread().isInterrupted()) {
            Object item = queue.poll();
            if (item == null) {
                LockSupport.parkNanos(this, pause);
                pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(MAX_PAUSE_MILLIS));
                continue;
            }
            pause = MIN_PAUSE_NANOS;
            do {
                if (item == STOP) {
                    reportDrops(batch);
                    writeBatch(batch);
                    return;
                }
                if (item instanceof CountDownLatch latch) {
                    reportDrops(batch);
                    writeBatch(batch);
                    latch.countDown();
                } else {
                    queued.decrementAndGet();
                    encode((ILoggingEvent) item, batch);
                    if (batch.length() >= MAX_BATCH_BYTES) {
                        writeBatch(batch);
                    }
                }
                item = queue.poll();
            } while (item != null);
            reportDrops(batch);
            writeBatch(batch);
        }
    }

    private void encode(ILoggingEvent event, JsonLineWriter batch) {
        int start = batch.length();
        try {
            Encoder<ILoggingEvent> encoder = encoder();
            if (encoder == json) {
                json.write(event, batch);
            } else {
                batch.bytes(encoder.encode(event));
            }
        } catch (RuntimeException e) {
            // never half a line in the output
            batch.truncate(start);
            addError("Cannot encode a log line", e);
        }
    }

    private void reportDrops(JsonLineWriter batch) {
        long lost = droppedLines.report(dropped.sum());
        if (lost > 0) {
            LoggerContext context = (LoggerContext) getContext();
            LoggingEvent warning = new LoggingEvent(StdoutAppender.class.getName(), context.getLogger(Logging.class),
                                                    Level.WARN, "log lines dropped, the queue was full: {} {}",
                                                    null, new Object[] {LogField.kv("dropped", lost),
                                                                        LogField.kv("queue_size", queueSize)});
            encode(warning, batch);
        }
    }

    private void writeBatch(JsonLineWriter batch) {
        if (batch.length() == 0) {
            return;
        }
        try {
            OutputStream out = output.get();
            batch.writeTo(out);
            out.flush();
        } catch (IOException | RuntimeException e) {
            addError("Cannot write log lines", e);
        } finally {
            batch.reset();
        }
    }

    private Encoder<ILoggingEvent> encoder() {
        if (LogFormat.active() == LogFormat.JSON) {
            return json;
        }
        Encoder<ILoggingEvent> encoder = text;
        if (encoder == null) {
            synchronized (this) {
                encoder = text;
                if (encoder == null) {
                    encoder = TextFormat.encoder(getContext());
                    text = encoder;
                }
            }
        }
        return encoder;
    }
}
