package io.dharma.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

import io.helidon.tracing.Span;
import io.helidon.tracing.Tracer;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script from a class-path resource, run by its SHA-1 ({@code EVALSHA}). A server that does not know it (a
 * restarted server, a replica promoted after a failover: {@code SCRIPT LOAD} is not replicated) answers
 * {@code NOSCRIPT}; the script is then sent whole once ({@code EVAL}), which also caches it on that server. On a
 * Redis Cluster the call goes to the primary of the keys' slot, so every key of one call must share a slot
 * ({@link Redis#slot(String)}).
 */
public final class RedisScript {
    private final String name;
    private final byte[] text;
    private final byte[] sha;

    private RedisScript(String name, byte[] text) {
        this.name = name;
        this.text = text;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /**
     * Read a script next to a class ({@code <name>.lua} in its package).
     *
     * @param owner a class of the package holding the script
     * @param name  file name without {@code .lua}
     * @return script
     * @throws UncheckedIOException if the resource is missing or unreadable
     */
    public static RedisScript load(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new UncheckedIOException(new IOException(name + ".lua is missing next to " + owner.getName()));
            }
            return new RedisScript(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + ".lua", e);
        }
    }

    /**
     * File name without {@code .lua}.
     *
     * @return name
     */
    public String name() {
        return name;
    }

    /**
     * Lower-case hex SHA-1 of the text, as {@code EVALSHA} takes it.
     *
     * @return SHA-1
     */
    public String sha() {
        return new String(sha, StandardCharsets.US_ASCII);
    }

    /**
     * Run a call of this script in a client span {@code redis EVALSHA}, child of the calling thread's current span (the
     * request's), with the database semantic conventions' {@code db.system.name} and {@code db.operation.name} and the
     * script's name as {@code db.query.summary}; a failed call marks the span failed. Call it on the request's thread,
     * around any hand-off to a bounding executor. No span while tracing is off.
     *
     * @param call the call, e.g. {@code () -> script.eval(client, keys, args)}
     * @param <T>  reply type
     * @return the call's reply
     */
    public <T> T traced(Supplier<T> call) {
        Tracer tracer = Tracer.global();
        if (!tracer.enabled()) {
            return call.get();
        }
        Span span = tracer.spanBuilder("redis EVALSHA")
                .update(builder -> Span.current().ifPresent(parent -> builder.parent(parent.context())))
                .kind(Span.Kind.CLIENT)
                .tag("db.system.name", "redis")
                .tag("db.operation.name", "EVALSHA")
                .tag("db.query.summary", "EVALSHA " + name)
                .start();
        try {
            T reply = call.get();
            span.end();
            return reply;
        } catch (RuntimeException e) {
            span.end(e);
            throw e;
        }
    }

    /**
     * Run it: {@code EVALSHA}, and {@code EVAL} once when the server does not know the script.
     *
     * @param client a client
     * @param keys   keys (on a cluster, of one slot)
     * @param args   arguments
     * @return the script's reply (integers as {@link Long}, strings as {@code byte[]}, tables as {@link List})
     */
    public Object eval(UnifiedJedis client, List<byte[]> keys, List<byte[]> args) {
        try {
            return client.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return client.eval(text, keys, args);
        }
    }
}
