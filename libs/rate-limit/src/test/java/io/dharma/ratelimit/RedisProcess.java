package io.dharma.ratelimit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import redis.clients.jedis.Jedis;

/**
 * A private redis-server on a free loopback port, for tests that stop and start Redis or count its commands without
 * other clients interfering. Needs {@code redis-server} on the PATH (the build machines have it).
 */
final class RedisProcess implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private RedisProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    static RedisProcess start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisProcess redis = new RedisProcess(port, Files.createTempDirectory("rate-limit-redis"));
        redis.restart();
        return redis;
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    void restart() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                                             "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        for (int i = 0; i < 200; i++) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                Thread.sleep(25);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    Jedis client() {
        return new Jedis("127.0.0.1", port);
    }

    /** Calls of EVALSHA so far ({@code INFO commandstats}). */
    long evalshaCalls() {
        try (Jedis jedis = client()) {
            for (String line : jedis.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_evalsha:")) {
                    return Long.parseLong(line.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1"));
                }
            }
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
