package io.dharma.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.dharma.testing.Meters;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

class StdoutAppenderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = new LoggerContext();
    private StdoutAppender appender;

    StdoutAppenderTest() {
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
    }

    @AfterEach
    void stop() {
        if (appender != null) {
            appender.stop();
        }
    }

    @Test
    void linesBeyondTheQueueAreDroppedCountedAndReported() throws Exception {
        GatedOutput output = new GatedOutput();
        appender = start(output);
        appender.queueSize(2);
        long metricBefore = droppedMetric();

        appender.doAppend(access("line 1"));
        assertThat(output.writing.await(30, TimeUnit.SECONDS), is(true)); // the writer holds line 1, the queue is empty
        for (int i = 2; i <= 6; i++) {
            appender.doAppend(access("line " + i)); // 2 and 3 wait in the queue, 4 to 6 find it full
        }
        assertThat(appender.dropped(), is(3L));

        output.open.countDown();
        assertThat(appender.flush(30, TimeUnit.SECONDS), is(true));
        List<JsonNode> lines = parse(output.text());
        assertThat(lines, hasSize(4));
        assertThat(lines.stream().limit(3).map(line -> line.path("message").asText()).toList(),
                   is(List.of("line 1", "line 2", "line 3")));
        JsonNode report = lines.get(3);
        assertThat(report.path("level").asText(), is("WARN"));
        assertThat(report.path("dropped").asLong(), is(3L));
        assertThat(report.path("queue_size").asInt(), is(2));
        assertThat(droppedMetric() - metricBefore, is(3L));
    }

    @Test
    void everyQueuedLineIsWrittenOnStop() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        appender = start(() -> output);
        for (int i = 0; i < 2000; i++) {
            appender.doAppend(access("line " + i));
        }
        appender.stop();
        List<JsonNode> lines = parse(text(output));
        assertThat(lines, hasSize(2000));
        assertThat(lines.getLast().path("message").asText(), is("line 1999"));
        assertThat(appender.dropped(), is(0L));
    }

    @Test
    void linesAfterCloseAreWrittenOnTheCallingThread() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        appender = start(() -> output);
        appender.close();
        appender.doAppend(access("during shutdown"));
        assertThat(parse(text(output)).getFirst().path("message").asText(), is("during shutdown"));
    }

    @Test
    void otherLoggersAreWrittenBeforeTheCallReturns() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        appender = start(() -> output);
        appender.doAppend(event("io.dharma.orders.Payments", "written here"));
        assertThat(text(output).contains("\"message\":\"written here\""), is(true));
    }

    @Test
    void everythingIsSynchronousWhenAsyncIsOff() throws Exception {
        GatedOutput output = new GatedOutput();
        output.open.countDown();
        appender = start(output);
        appender.async(false);
        appender.doAppend(access("at once"));
        assertThat(parse(output.text()).getFirst().path("thread").asText(), is(Thread.currentThread().getName()));
    }

    private StdoutAppender start(java.util.function.Supplier<OutputStream> output) {
        StdoutAppender started = new StdoutAppender(output);
        started.setContext(context);
        started.start();
        return started;
    }

    private LoggingEvent access(String message) {
        return event(AccessLog.LOGGER_NAME, message);
    }

    private LoggingEvent event(String logger, String message) {
        return new LoggingEvent(StdoutAppenderTest.class.getName(), context.getLogger(logger), Level.INFO, message, null, null);
    }

    private static long droppedMetric() {
        return (long) Meters.counter(DroppedLines.METRIC);
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    private static List<JsonNode> parse(String text) throws IOException {
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    // blocks the first write until opened, and says when a write has started
    private static final class GatedOutput extends OutputStream implements java.util.function.Supplier<OutputStream> {
        private final CountDownLatch writing = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        @Override
        public OutputStream get() {
            return this;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            writing.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (buffer) {
                buffer.write(bytes, offset, length);
            }
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
