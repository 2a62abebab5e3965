package io.dharma.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import redis.clients.jedis.Jedis;

/**
 * A private {@code redis-server} on a free loopback port, for tests that stop, restart or pause Redis, or count its
 * commands, without disturbing (or being disturbed by) other clients of the machine's shared Redis. Needs
 * {@code redis-server} on the PATH (the build machines have it). Nothing is persisted: a restart starts empty.
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     JedisPooled client = new JedisPooled("127.0.0.1", redis.port());
 *     ...
 *     redis.stop();      // clients see connection refused
 *     redis.restart();   // same port, empty data set
 *     redis.pause();     // SIGSTOP: connections stay open, nothing answers (a hung Redis)
 *     redis.resume();    // SIGCONT
 *     redis.kill();      // SIGKILL: a crash, then restart()
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /**
     * Start a server and wait until it answers {@code PING} (at most about 5 s).
     *
     * @return the running server
     */
    public static RedisServer start() {
        try {
            RedisServer redis = new RedisServer(ServiceProcess.freePort(), Files.createTempDirectory("redis-server"));
            redis.restart();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The port it listens on (127.0.0.1).
     *
     * @return port
     */
    public int port() {
        return port;
    }

    /**
     * Its URL, for configuration keys such as {@code rate-limit.redis.url}.
     *
     * @return {@code redis://127.0.0.1:<port>}
     */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Start it again on the same port after {@link #stop()}, empty, and wait until it answers.
     */
    public void restart() {
        try {
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                                                 "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start redis-server (is it on the PATH?)", e);
        }
        for (int i = 0; i < 200; i++) {
            try (Jedis jedis = client()) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                sleep(25);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    /**
     * Stop it (SIGTERM) and wait until it has exited: clients get connection errors until {@link #restart()}.
     */
    public void stop() {
        process.destroy();
        awaitExit();
    }

    private void awaitExit() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping redis-server", e);
        }
    }

    /**
     * Kill it ({@code SIGKILL}, a crash: open connections are reset) and wait until it has exited; {@link #restart()}
     * brings it back empty on the same port.
     */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /**
     * Freeze it ({@code SIGSTOP}): it keeps its port and its connections but answers nothing, so clients run into
     * their timeouts, as with a hung server or a network partition. Its data survives {@link #resume()}.
     */
    public void pause() {
        Signals.send(process, "STOP");
    }

    /**
     * Let a paused server run again ({@code SIGCONT}); it answers what was queued meanwhile.
     */
    public void resume() {
        Signals.send(process, "CONT");
    }

    /**
     * A new plain client (close it).
     *
     * @return client
     */
    public Jedis client() {
        return new Jedis("127.0.0.1", port);
    }

    /**
     * How often a command has been called since the start ({@code INFO commandstats}).
     *
     * @param command command name, e.g. {@code evalsha}
     * @return calls, 0 if never called
     */
    public long commandCalls(String command) {
        String prefix = "cmdstat_" + command.toLowerCase(Locale.ROOT) + ":calls=";
        try (Jedis jedis = client()) {
            for (String line : jedis.info("commandstats").split("\r?\n")) {
                if (line.startsWith(prefix)) {
                    return Long.parseLong(line.substring(prefix.length(), line.indexOf(',', prefix.length())));
                }
            }
            return 0;
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();   // a paused server ignores SIGTERM until it runs again
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }
}
