package io.dharma.bench.cache;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import io.dharma.cache.Cache;
import io.dharma.cache.Caches;
import io.dharma.cache.Codec;
import io.dharma.cache.Loaded;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/**
 * Latencies of the two-level cache against the real Redis (one thread, so each number is one operation's time): L1
 * hit, L2 hit (a cache without L1), miss (script read, lease, load, fill); then invalidation propagation between two
 * JVMs (this one invalidates, a listener JVM notices the message), next to raw Redis PUBLISH/SUBSCRIBE between the
 * same two JVMs. Args: [redis host:port, default 127.0.0.1:6379] [operations, default 20000] [rounds of propagation,
 * default 1000]. Both JVMs read {@code System.nanoTime()}, which is CLOCK_MONOTONIC on Linux, one clock for the host.
 */
public final class CacheBench {
    private static final String CACHE = "propagation";

    private CacheBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("listener")) {
            listen(args[1], args[2]);
            return;
        }
        if (args.length > 0 && args[0].equals("raw-listener")) {
            rawListen(args[1], args[2]);
            return;
        }
        String redis = args.length > 0 ? args[0] : "127.0.0.1:6379";
        int operations = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        String prefix = "cache-bench:" + UUID.randomUUID() + ":";
        try (JedisPooled jedis = client(redis); Caches caches = caches(prefix, jedis)) {
            latencies(caches, operations);
            propagation(redis, prefix, caches, rounds);
            rawPubSub(redis, jedis, rounds);
        }
    }

    private static void latencies(Caches caches, int operations) {
        Cache<String> withL1 = caches.cache("bench-l1", Codec.string());
        Cache<String> l2Only = caches.cache("bench-l2", Codec.string());
        Cache<String> misses = caches.cache("bench-miss", Codec.string());
        String[] keys = new String[operations];
        for (int i = 0; i < operations; i++) {
            keys[i] = "k" + i;
            String value = "value-" + i;
            withL1.get(keys[i], () -> Loaded.value(value));
            l2Only.get(keys[i], () -> Loaded.value(value));
        }
        System.out.println("operation: p50 / p99 / mean in microseconds (" + operations + " operations, one thread)");
        report("L1 hit", time(operations, i -> withL1.get(keys[i], CacheBench::unexpectedLoad)));
        report("L2 hit (no L1)", time(operations, i -> l2Only.get(keys[i], CacheBench::unexpectedLoad)));
        report("miss (load + fill)", time(operations, i -> misses.get("miss-" + i, () -> Loaded.value("v"))));
    }

    private static void propagation(String redis, String prefix, Caches caches, int rounds) throws Exception {
        Cache<String> cache = caches.cache(CACHE, Codec.string());
        Process listener = java("listener", redis, prefix);
        try (BufferedReader out = reader(listener)) {
            await(out, "ready");
            long[] propagation = new long[rounds];
            long[] acknowledged = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                cache.invalidate("k");
                acknowledged[i] = System.nanoTime() - start;
                propagation[i] = Long.parseLong(await(out, "recv").split(" ")[1]) - start;
                LockSupport.parkNanos(1_000_000);
            }
            System.out.println("invalidation across two JVMs (" + rounds + " rounds, from invalidate() to the other JVM's "
                                       + "received counter):");
            report("invalidate() returned", acknowledged);
            report("received by the other JVM", propagation);
        } finally {
            listener.destroy();
        }
    }

    private static void rawPubSub(String redis, JedisPooled jedis, int rounds) throws Exception {
        String channel = "cache-bench-raw:" + UUID.randomUUID();
        Process listener = java("raw-listener", redis, channel);
        try (BufferedReader out = reader(listener)) {
            await(out, "ready");
            long[] latency = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                jedis.publish(channel, Integer.toString(i));
                latency[i] = Long.parseLong(await(out, "recv").split(" ")[1]) - start;
                LockSupport.parkNanos(1_000_000);
            }
            report("raw PUBLISH -> SUBSCRIBE", latency);
        } finally {
            listener.destroy();
        }
    }

    /** The other JVM: keeps "k" in L1 and prints the time each invalidation message is counted. */
    private static void listen(String redis, String prefix) {
        try (JedisPooled jedis = client(redis); Caches caches = caches(prefix, jedis)) {
            Cache<String> cache = caches.cache(CACHE, Codec.string());
            cache.get("k", () -> Loaded.value("v"));
            Counter received = Metrics.globalRegistry().meters().stream()
                    .filter(m -> m instanceof Counter && m.id().name().equals("cache.invalidations.received")
                            && m.id().tags().toString().contains(CACHE))
                    .map(Counter.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no cache.invalidations.received counter"));
            System.out.println("ready");
            long seen = received.count();
            while (true) {
                long now = received.count();
                if (now != seen) {
                    long at = System.nanoTime();
                    seen = now;
                    System.out.println("recv " + at);
                }
                LockSupport.parkNanos(2_000);
            }
        }
    }

    private static void rawListen(String redis, String channel) {
        try (JedisPooled jedis = client(redis)) {
            jedis.subscribe(new JedisPubSub() {
                @Override
                public void onSubscribe(String ch, int count) {
                    System.out.println("ready");
                }

                @Override
                public void onMessage(String ch, String message) {
                    System.out.println("recv " + System.nanoTime());
                }
            }, channel);
        }
    }

    private static Caches caches(String prefix, JedisPooled jedis) {
        Map<String, String> config = new HashMap<>();
        config.put("key-prefix", prefix);
        config.put("redis-timeout", "PT1S");
        config.put("l1.max-size", "100000");
        config.put("l1.ttl", "PT1H");
        config.put("l2.ttl", "PT1H");
        config.put("l2.jitter", "PT1M");
        config.put("caches.bench-l2.l1.max-size", "0");
        return Caches.create(Config.just(ConfigSources.create(config)), Optional.of(jedis));
    }

    private static JedisPooled client(String redis) {
        String[] hostPort = redis.split(":");
        return new JedisPooled(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    private static Loaded<String> unexpectedLoad() {
        throw new IllegalStateException("a hit never loads");
    }

    private interface Operation {
        void run(int i);
    }

    private static long[] time(int operations, Operation operation) {
        for (int i = 0; i < Math.min(operations, 5_000); i++) {
            operation.run(i);   // warm-up on the same keys
        }
        long[] nanos = new long[operations];
        for (int i = 0; i < operations; i++) {
            long start = System.nanoTime();
            operation.run(i);
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        System.out.printf("  %-28s %9.1f %9.1f %9.1f%n", what, sorted[sorted.length / 2] / 1e3,
                          sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e3, mean / 1e3);
    }

    private static Process java(String mode, String redis, String argument) throws Exception {
        String java = System.getProperty("java.home") + "/bin/java";
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                                          CacheBench.class.getName(), mode, redis, argument))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String await(BufferedReader out, String prefix) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("listener ended before '" + prefix + "'");
    }
}
