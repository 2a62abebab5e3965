package io.dharma.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.helidon.config.Config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Runs a child JVM with the module's classpath, so the environment variables that select the format are real.
 */
class LogFormatEnvironmentIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    // fits in the default queue, and more than the writer can write before main returns
    private static final int ACCESS_LINES = 8000;

    @Test
    void withoutEnvironmentEveryLineIsJson() throws Exception {
        List<String> lines = runChild(Map.of());
        assertThat(lines, hasSize(3));
        for (String line : lines) {
            assertThat(JSON.readTree(line).path("message").asText(), containsString("password=[REDACTED]"));
        }
    }

    @Test
    void loggingFormatVariableSelectsTextFromTheFirstLineAndThroughHelidonConfig() {
        List<String> lines = runChild(Map.of("LOGGING_FORMAT", "TEXT"));
        assertThat(lines, hasSize(3));
        assertThat(lines.get(0), containsString("INFO  [main] i.d.logging.LogFormatEnvironmentIT [-] before configure"));
        assertThat(lines.get(2), containsString("WARN  [main] jul.child [-] jul after configure password=[REDACTED]"));
        lines.forEach(line -> assertThat(line, not(startsWith("{"))));
        lines.forEach(line -> assertThat(line, not(containsString("hunter2"))));
    }

    @Test
    void rootLevelVariableSetsTheRootLevelFromTheFirstLine() {
        List<String> lines = runChild(Map.of("LOGGING_LEVEL_ROOT", "warn"));
        assertThat(lines, hasSize(1));
        assertThat(lines.getFirst(), containsString("jul after configure password=[REDACTED]"));
    }

    @Test
    void accessLinesStillQueuedWhenTheJvmExitsAreWritten() throws Exception {
        List<String> lines = runChild(Map.of(), "access");
        assertThat(lines, hasSize(ACCESS_LINES));
        for (int i = 0; i < ACCESS_LINES; i += 997) {
            assertThat(JSON.readTree(lines.get(i)).path("route").asText(), is("/lines/" + i));
        }
    }

    // child process: logs before and after configuring, through SLF4J and JUL; or a burst of access lines, then exits
    public static void main(String[] args) {
        if (args.length > 0) {
            Logging.configure(Config.create().get("logging"), "child", "1");
            AccessLog accessLog = AccessLog.create();
            for (int i = 0; i < ACCESS_LINES; i++) {
                accessLog.log("GET", "/lines/" + i, 200, 0L, 0L, "127.0.0.1", "-");
            }
            return;
        }
        LoggerFactory.getLogger(LogFormatEnvironmentIT.class).info("before configure password=hunter2");
        Logging.configure(Config.create().get("logging"), "child", "1");
        LoggerFactory.getLogger(LogFormatEnvironmentIT.class).info("after configure password=hunter2");
        java.util.logging.Logger.getLogger("jul.child").warning("jul after configure password=hunter2");
    }

    private static List<String> runChild(Map<String, String> environment, String... arguments) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                                                                             .toString(),
                                                                     "-cp", System.getProperty("java.class.path"),
                                                                     LogFormatEnvironmentIT.class.getName()));
            command.addAll(List.of(arguments));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(name -> name.startsWith("LOG") || name.startsWith("HELIDON"));
            builder.environment().putAll(environment);
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process process = builder.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS), is(true));
            assertThat("child exit code, output:\n" + stdout, process.exitValue(), is(0));
            return stdout.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
