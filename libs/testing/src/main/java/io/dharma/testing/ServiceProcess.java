package io.dharma.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A built service jar running as a child JVM on a free loopback port, with its stdout captured line by line: the
 * black-box view of a service (what {@code java -jar} gives an operator).
 * <pre>{@code
 * try (ServiceProcess service = ServiceProcess.start(Path.of("target/blueprint-service.jar"), Map.of())) {
 *     HttpTestClient client = HttpTestClient.create(service.port());
 *     ...
 * }
 * }</pre>
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final int managementPort;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ServiceProcess(Process process, int port, int managementPort) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.reader = new Thread(this::readOutput, "service-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Start a service jar with extra environment variables ({@code SERVER_PORT} and {@code MANAGEMENT_PORT} are free
     * ports unless {@code env} sets them) and wait until {@code /health/ready} on the management port answers 200 (at
     * most 2 min; a process not ready by then prints its thread dump into the failure).
     *
     * @param jar the service jar (its {@code libs/} folder beside it)
     * @param env extra environment, e.g. {@code DB_URL}
     * @return the running process
     */
    public static ServiceProcess start(Path jar, Map<String, String> env) {
        Map<String, String> environment = new HashMap<>(env);
        int managementPort = env.containsKey("MANAGEMENT_PORT") ? Integer.parseInt(env.get("MANAGEMENT_PORT")) : freePort();
        environment.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        return start(jar, environment, managementPort, "/health/ready", Duration.ofMinutes(2));
    }

    /**
     * Start a jar that is not a Dharma service (no management port) and wait until a path on its port answers 200.
     *
     * @param jar       the jar
     * @param env       extra environment variables
     * @param readyPath path that answers 200 once the process is ready
     * @param timeout   longest wait for it
     * @return the running process
     */
    public static ServiceProcess start(Path jar, Map<String, String> env, String readyPath, Duration timeout) {
        return start(jar, env, -1, readyPath, timeout);
    }

    /**
     * Start a service jar like {@link #start(Path, Map)} without waiting for it to be ready, e.g. to see it refuse a
     * bad configuration through {@link #awaitExit(Duration)} and {@link #output()}.
     *
     * @param jar the service jar (its {@code libs/} folder beside it)
     * @param env extra environment
     * @return the process, maybe still starting
     */
    public static ServiceProcess launch(Path jar, Map<String, String> env) {
        Map<String, String> environment = new HashMap<>(env);
        environment.putIfAbsent("MANAGEMENT_PORT", Integer.toString(freePort()));
        return spawn(jar, environment, Integer.parseInt(environment.get("MANAGEMENT_PORT")));
    }

    private static ServiceProcess start(Path jar, Map<String, String> env, int managementPort, String readyPath,
                                        Duration timeout) {
        ServiceProcess service = spawn(jar, env, managementPort);
        service.awaitReady(managementPort > 0 ? managementPort : service.port, readyPath, timeout);
        return service;
    }

    private static ServiceProcess spawn(Path jar, Map<String, String> env, int managementPort) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: package the service first");
        }
        int port = env.containsKey("SERVER_PORT") ? Integer.parseInt(env.get("SERVER_PORT")) : freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true);
        Map<String, String> environment = new HashMap<>(env);
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.putIfAbsent("SERVER_HOST", "127.0.0.1");
        builder.environment().putAll(environment);
        try {
            return new ServiceProcess(builder.start(), port, managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The port the service listens on.
     *
     * @return port
     */
    public int port() {
        return port;
    }

    /**
     * The port of the service's management socket (probes, metrics).
     *
     * @return port
     * @throws IllegalStateException for a process started without one
     */
    public int managementPort() {
        if (managementPort <= 0) {
            throw new IllegalStateException("This process has no management port");
        }
        return managementPort;
    }

    /**
     * Every line the service wrote to stdout/stderr so far.
     *
     * @return lines, oldest first
     */
    public List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * Send SIGTERM (what Kubernetes does), as a graceful shutdown request.
     */
    public void terminate() {
        // ProcessHandle only signals; Process.destroy() would also close our end of stdout and lose the last lines
        process.toHandle().destroy();
    }

    /**
     * Freeze the process ({@code SIGSTOP}): it keeps its sockets but answers nothing, like a hung dependency.
     */
    public void suspend() {
        Signals.send(process, "STOP");
    }

    /**
     * Let a suspended process run again ({@code SIGCONT}).
     */
    public void resume() {
        Signals.send(process, "CONT");
    }

    /**
     * Kill the process at once ({@code SIGKILL}, a crash: no shutdown hook, no drain) and wait until it is gone.
     */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /**
     * The operating system's id of the process, e.g. to read {@code /proc/<pid>/status}.
     *
     * @return pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Its resident set size now ({@code VmRSS} of {@code /proc/<pid>/status}; Linux only).
     *
     * @return bytes
     */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
                }
            }
            throw new IllegalStateException("No VmRSS in /proc/" + process.pid() + "/status");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Wait for the process to exit.
     *
     * @param timeout longest wait
     * @return exit code
     * @throws IllegalStateException if it did not exit in time
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("service did not exit within " + timeout);
            }
            reader.join(5000); // the last lines may still be in the pipe
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the process still runs.
     *
     * @return true while alive
     */
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void awaitReady(int readyPort, String readyPath, Duration timeout) {
        HttpTestClient client = HttpTestClient.create(readyPort);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + ":\n"
                                                        + String.join("\n", output()));
            }
            try {
                if (client.get(readyPath).status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            sleep(100);
        }
        printThreadDump();
        close();
        throw new IllegalStateException("service not ready within " + timeout + ":\n" + String.join("\n", output()));
    }

    // SIGQUIT: the JVM writes every thread's stack to its stdout, which output() holds; shows where start-up hangs
    private void printThreadDump() {
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor();
            sleep(1000);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                              StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
