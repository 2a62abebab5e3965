package io.dharma.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;

/**
 * A private {@code redis-server} on a free loopback port, for tests that stop, restart or pause Redis, or count its
 * commands, without disturbing (or being disturbed by) other clients of the machine's shared Redis. Needs
 * {@code redis-server} on the PATH (the build machines have it). Nothing is persisted: a restart starts empty.
 * {@link #start(String)} starts it with {@code requirepass}; {@link #requirePassword(String)} rotates that password
 * ({@code CONFIG SET requirepass}) and {@link #client()} always authenticates with the current one.
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
    // password of the default user, null without requirepass
    private volatile @Nullable String password;

    private RedisServer(int port, Path dir, @Nullable String password) {
        this.port = port;
        this.dir = dir;
        this.password = password;
    }

    /**
     * Start a server and wait until it answers {@code PING} (at most about 5 s).
     *
     * @return the running server
     */
    public static RedisServer start() {
        return create(null);
    }

    /**
     * Start a server whose default user needs a password ({@code --requirepass}) and wait until it answers.
     *
     * @param password password of the default user
     * @return the running server
     */
    public static RedisServer start(String password) {
        return create(password);
    }

    private static RedisServer create(@Nullable String password) {
        try {
            RedisServer redis = new RedisServer(ServiceProcess.freePort(), Files.createTempDirectory("redis-server"), password);
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
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                                                       "127.0.0.1", "--save", "", "--appendonly", "no",
                                                       "--dir", dir.toString()));
        String current = password;
        if (current != null) {
            command.addAll(List.of("--requirepass", current));
        }
        process = launch(command, dir, port, this::client);
    }

    /**
     * Start {@code redis-server} with a command line, its output in {@code dir/redis.log}, and wait (about 5 s at
     * most) until a client of it answers {@code PING}.
     */
    static Process launch(List<String> command, Path dir, int port, Supplier<Jedis> client) {
        Process started;
        try {
            started = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start redis-server (is it on the PATH?)", e);
        }
        for (int i = 0; i < 200; i++) {
            if (!started.isAlive()) {
                break; // it could not bind the port (a PONG there would be another server's)
            }
            try (Jedis jedis = client.get()) {
                if ("PONG".equals(jedis.ping())) {
                    return started;
                }
            } catch (RuntimeException e) {
                sleep(25);
            }
        }
        started.destroyForcibly();
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
     * Change the default user's password ({@code CONFIG SET requirepass}). New connections must use it; connections
     * already authenticated stay so, as on a real server.
     *
     * @param newPassword the new password
     */
    public void requirePassword(String newPassword) {
        try (Jedis jedis = client()) {
            jedis.configSet("requirepass", newPassword);
        }
        password = newPassword;
    }

    /**
     * Ids of the open client connections with a name ({@code CLIENT LIST}); ids grow with each new connection, so
     * comparing them with an id seen earlier tells which connections were opened since.
     *
     * @param clientName the name the clients set ({@code CLIENT SETNAME})
     * @return ids, ascending
     */
    public List<Long> clientIds(String clientName) {
        List<Long> ids = new ArrayList<>();
        try (Jedis jedis = client()) {
            for (String line : jedis.clientList().split("\r?\n")) {
                long id = -1;
                boolean named = false;
                for (String field : line.split(" ")) {
                    if (field.startsWith("id=")) {
                        id = Long.parseLong(field.substring(3));
                    } else if (field.equals("name=" + clientName)) {
                        named = true;
                    }
                }
                if (named && id >= 0) {
                    ids.add(id);
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * A new client (close it), authenticated with the default user's current password when there is one.
     *
     * @return client
     */
    public Jedis client() {
        Jedis jedis = new Jedis("127.0.0.1", port);
        String current = password;
        if (current != null) {
            try {
                jedis.auth(current);
            } catch (RuntimeException e) {
                jedis.close();
                throw e;
            }
        }
        return jedis;
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

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }
}
