package io.dharma.bench.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import io.dharma.ratelimit.Charge;
import io.dharma.ratelimit.Decision;
import io.dharma.ratelimit.Policy;
import io.dharma.ratelimit.RateLimitConfig;
import io.dharma.ratelimit.RateLimiter;
import io.dharma.ratelimit.RateLimiting;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * dharma-rate-limit (GCRA, one EVALSHA) against Bucket4j (Jedis CAS proxy manager: GET + EVAL per attempt) on the same
 * Redis. System properties: {@code redis} (host:port, default 127.0.0.1:6379), {@code threads} (64), {@code seconds}
 * (10), {@code rounds} (3), {@code keys} (10000), {@code capacity} (1000000, per {@code period}), {@code period}
 * (PT1H), {@code calls} (2000, sequential decisions for the round-trip count), {@code timeout} (our Redis timeout,
 * PT1S), {@code client} ({@code shared}: a JedisPooled handed over; {@code owned}: built from {@code redis.url}),
 * {@code only} (comma list of variants, e.g. {@code ours-hot,b4j-hot}; {@code ours-pair-10k}: two buckets per decision,
 * in different hash slots), {@code url} (our limiter's own client from this URL, e.g. a {@code redis-cluster://} one;
 * implies {@code owned} and skips the round-trip count, which reads one server's statistics).
 */
public final class RateLimitBench {
    private static final String HOST = System.getProperty("redis", "127.0.0.1:6379");
    private static final int THREADS = Integer.getInteger("threads", 64);
    private static final int SECONDS = Integer.getInteger("seconds", 10);
    private static final int ROUNDS = Integer.getInteger("rounds", 3);
    private static final int KEYS = Integer.getInteger("keys", 10_000);
    private static final long CAPACITY = Long.getLong("capacity", 1_000_000);
    private static final Duration PERIOD = Duration.parse(System.getProperty("period", "PT1H"));
    private static final int CALLS = Integer.getInteger("calls", 2000);
    private static final String TIMEOUT = System.getProperty("timeout", "PT1S");
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    /** shared: our limiter gets a JedisPooled (each call bounded by a future); owned: it builds its own from a URL. */
    private static final String URL = System.getProperty("url");
    private static final boolean OWNED = "owned".equals(System.getProperty("client", "shared")) || URL != null;

    private RateLimitBench() {
    }

    /** One decision: true if allowed. */
    interface Decider {
        boolean decide(int key);
    }

    record Result(String variant, double perSecond, double p50Ms, double p99Ms, long allowed, long denied,
                  long falseRejects, long fallbacks) {
    }

    public static void main(String[] args) throws Exception {
        HostAndPort hp = HostAndPort.from(HOST);
        System.out.printf(Locale.ROOT, "run %s: Redis %s (our client: %s), %d virtual threads, %d s x %d rounds, %d keys, capacity %d per %s%n",
                          RUN, HOST, OWNED ? "owned, from redis.url" : "shared JedisPooled", THREADS, SECONDS, ROUNDS, KEYS, CAPACITY, PERIOD);
        try (JedisPooled ourClient = pooled(hp); JedisPooled b4jClient = pooled(hp); Jedis stats = new Jedis(hp)) {
            RateLimiting ours = OWNED
                    ? RateLimiting.create(config(), Optional.empty(), InstantSource.system())
                    : RateLimiting.create(config(), Optional.of(ourClient), InstantSource.system());
            RateLimiter limiter = ours.limiter();
            Map<String, Policy> policies = new HashMap<>();
            ours.config().policies().forEach(p -> policies.put(p.name(), p));
            ProxyManager<byte[]> b4j = Bucket4jJedis.casBasedBuilder(b4jClient)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
                    .build();
            BucketConfiguration b4jConfig = BucketConfiguration.builder()
                    .addLimit(Bandwidth.builder().capacity(CAPACITY).refillGreedy(CAPACITY, PERIOD).build())
                    .build();

            if (URL == null) {
                roundTrips(stats, limiter, policies, b4j, b4jConfig);
            }

            // Throughput: fresh keys per run (every bucket starts full), so a denial with fewer than CAPACITY admissions
            // on its key is a false reject (the bucket cannot be empty).
            List<String> variants = List.of(System.getProperty("only", "ours-hot,b4j-hot,ours-10k,b4j-10k").split(","));
            Map<String, List<Result>> results = new HashMap<>();
            LongAdder fallbacks = new LongAdder();
            for (int round = 1; round <= ROUNDS; round++) {
                for (String variant : variants) {
                    String tag = RUN + "-" + variant + "-" + round;
                    boolean hot = variant.endsWith("hot");
                    int keys = hot ? 1 : KEYS;
                    Decider decider;
                    if (variant.startsWith("ours")) {
                        List<List<Charge>> charges = new ArrayList<>(keys);
                        for (int k = 0; k < keys; k++) {
                            Charge user = Charge.hashed(policies.get("bench"), "USER=" + tag + "-" + k + "|", CAPACITY, 1);
                            charges.add(variant.contains("pair")
                                    ? List.of(Charge.hashed(policies.get("bench"), "IP=" + tag + "-" + k + "|", CAPACITY, 1), user)
                                    : List.of(user));
                        }
                        decider = k -> {
                            Decision d = limiter.acquire(charges.get(k));
                            if (d.source() == Decision.Source.FALLBACK) {
                                fallbacks.increment();
                            }
                            return d.allowed();
                        };
                    } else {
                        BucketProxy[] buckets = new BucketProxy[keys];
                        for (int k = 0; k < keys; k++) {
                            buckets[k] = b4j.builder().build(("b4j:" + tag + "-" + k).getBytes(StandardCharsets.UTF_8), b4jConfig);
                        }
                        decider = k -> buckets[k].tryConsume(1);
                    }
                    fallbacks.reset();
                    Result r = load(variant, keys, decider, fallbacks);
                    results.computeIfAbsent(variant, v -> new ArrayList<>()).add(r);
                    System.out.printf(Locale.ROOT, "round %d %-9s %9.0f decisions/s  p50 %6.2f ms  p99 %6.2f ms  allowed %d  denied %d  false rejects %d  fallbacks %d%n",
                                      round, variant, r.perSecond, r.p50Ms, r.p99Ms, r.allowed, r.denied, r.falseRejects, r.fallbacks);
                }
            }
            System.out.println();
            System.out.println("| variant | decisions/s (runs) | median decisions/s | median p99 ms | false rejects |");
            System.out.println("|---|---|---|---|---|");
            Map<String, Double> medians = new HashMap<>();
            for (String variant : variants) {
                List<Result> rs = results.get(variant);
                double m = median(rs.stream().mapToDouble(Result::perSecond).toArray());
                medians.put(variant, m);
                StringBuilder runs = new StringBuilder();
                for (Result r : rs) {
                    runs.append(runs.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", r.perSecond));
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.2f | %d |%n", variant, runs, m,
                                  median(rs.stream().mapToDouble(Result::p99Ms).toArray()),
                                  rs.stream().mapToLong(Result::falseRejects).sum());
            }
            for (String shape : List.of("hot", "10k")) {
                if (medians.containsKey("ours-" + shape) && medians.containsKey("b4j-" + shape)) {
                    System.out.printf(Locale.ROOT, "ratio ours/bucket4j %s: %.2f%n", shape,
                                      medians.get("ours-" + shape) / medians.get("b4j-" + shape));
                }
            }
            limiter.close();
        }
        System.exit(0);
    }

    private static JedisPooled pooled(HostAndPort hp) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(RateLimiting.POOL_SIZE);
        pool.setMaxIdle(RateLimiting.POOL_SIZE);
        pool.setBlockWhenExhausted(true);
        return new JedisPooled(hp, DefaultJedisClientConfig.builder().socketTimeoutMillis(2000).build(), pool);
    }

    private static RateLimitConfig config() {
        Map<String, String> m = new HashMap<>();
        m.put("rate-limit.redis.timeout", TIMEOUT);
        if (OWNED) {
            m.put("rate-limit.redis.url", URL != null ? URL : "redis://" + HOST);
        }
        m.put("rate-limit.redis.key-prefix", "rlbench:");
        m.put("rate-limit.policies.bench.key", "user");
        m.put("rate-limit.policies.bench.capacity", Long.toString(CAPACITY));
        m.put("rate-limit.policies.bench.period", PERIOD.toString());
        m.put("rate-limit.policies.tight.key", "user");
        m.put("rate-limit.policies.tight.capacity", "1");
        m.put("rate-limit.policies.tight.period", "PT1H");
        Config config = Config.just(ConfigSources.create(m));
        return RateLimitConfig.create(config.get("rate-limit"));
    }

    /** Sequential decisions, Redis INFO commandstats before and after. */
    private static void roundTrips(Jedis stats, RateLimiter limiter, Map<String, Policy> policies,
                                   ProxyManager<byte[]> b4j, BucketConfiguration b4jConfig) {
        System.out.println();
        System.out.println("Redis commands per decision (INFO commandstats, " + CALLS + " sequential decisions; the"
                           + " Redis is shared, so a baseline of the same length with no decisions is subtracted):");
        // warm both paths (script load, connections) on throw-away keys
        Charge warm = Charge.hashed(policies.get("bench"), "USER=warm-" + RUN + "|", CAPACITY, 1);
        BucketProxy warmB = b4j.builder().build(("b4j:warm-" + RUN).getBytes(StandardCharsets.UTF_8), b4jConfig);
        for (int i = 0; i < 50; i++) {
            limiter.acquire(List.of(warm));
            warmB.tryConsume(1);
        }
        Charge allowed = Charge.hashed(policies.get("bench"), "USER=rt-" + RUN + "|", CAPACITY, 1);
        report(stats, "ours, allowed (goal 1)", () -> limiter.acquire(List.of(allowed)).allowed(), true);
        Charge tight = Charge.hashed(policies.get("tight"), "USER=rt-" + RUN + "|", 1, 1);
        limiter.acquire(List.of(tight)); // takes the only unit
        Decision first = limiter.acquire(List.of(tight)); // denied by Redis: now cached
        if (first.allowed()) {
            throw new IllegalStateException("second request on a capacity-1 bucket was allowed");
        }
        report(stats, "ours, cached denial (goal 0)", () -> {
            Decision d = limiter.acquire(List.of(tight));
            if (d.source() != Decision.Source.DENIAL_CACHE) {
                throw new IllegalStateException("denial not from cache: " + d.source());
            }
            return !d.allowed();
        }, true);
        BucketProxy bucket = b4j.builder().build(("b4j:rt-" + RUN).getBytes(StandardCharsets.UTF_8), b4jConfig);
        bucket.tryConsume(1); // the key exists: steady state is GET + EVAL(CAS)
        report(stats, "Bucket4j, allowed", () -> bucket.tryConsume(1), false);
    }

    interface Call {
        boolean call();
    }

    private static void report(Jedis stats, String label, Call call, boolean ours) {
        // baseline: the same stats calls without decisions, for other clients of the shared Redis and INFO itself
        Map<String, Long> b0 = commandStats(stats);
        Map<String, Long> b1 = commandStats(stats);
        Map<String, Long> before = commandStats(stats);
        int ok = 0;
        for (int i = 0; i < CALLS; i++) {
            ok += call.call() ? 1 : 0;
        }
        Map<String, Long> after = commandStats(stats);
        if (ok != CALLS) {
            throw new IllegalStateException(label + ": " + (CALLS - ok) + " unexpected outcomes");
        }
        Map<String, Long> delta = new java.util.TreeMap<>();
        after.forEach((cmd, n) -> {
            long d = n - before.getOrDefault(cmd, 0L) - (b1.getOrDefault(cmd, 0L) - b0.getOrDefault(cmd, 0L));
            if (d != 0) {
                delta.put(cmd, d);
            }
        });
        long total = delta.values().stream().mapToLong(Long::longValue).sum();
        long scripts = delta.getOrDefault("evalsha", 0L) + delta.getOrDefault("eval", 0L);
        // Commands run inside a script are counted by commandstats too: ours runs TIME, GET, SET inside EVALSHA;
        // Bucket4j's CAS script runs GET and PSETEX inside EVAL, so its top-level GETs are get - eval.
        long topLevel = ours ? scripts + delta.getOrDefault("script|load", 0L)
                : scripts + delta.getOrDefault("get", 0L) - delta.getOrDefault("eval", 0L);
        StringBuilder per = new StringBuilder();
        delta.forEach((cmd, n) -> per.append(String.format(Locale.ROOT, " %s=%.3f", cmd, (double) n / CALLS)));
        System.out.printf(Locale.ROOT, "  %-30s round trips/decision %.3f   all commands/decision %.3f  (%s )%n",
                          label, (double) topLevel / CALLS, (double) total / CALLS, per.toString().trim());
    }

    private static Map<String, Long> commandStats(Jedis stats) {
        Map<String, Long> m = new HashMap<>();
        for (String line : stats.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String cmd = line.substring(8, line.indexOf(':'));
                int i = line.indexOf("calls=") + 6;
                m.put(cmd, Long.parseLong(line.substring(i, line.indexOf(',', i))));
            }
        }
        return m;
    }

    private static Result load(String variant, int keys, Decider decider, LongAdder fallbacks) throws InterruptedException {
        AtomicLongArray admitted = new AtomicLongArray(keys);
        LongAdder allowed = new LongAdder();
        LongAdder denied = new LongAdder();
        LongAdder falseRejects = new LongAdder();
        long[][] latencies = new long[THREADS][];
        int[] counts = new int[THREADS];
        long warmupEnd = System.nanoTime() + 1_000_000_000L;
        long end = warmupEnd + SECONDS * 1_000_000_000L;
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads[t] = Thread.ofVirtual().start(() -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                    int k = keys == 1 ? 0 : random.nextInt(keys);
                    long start = System.nanoTime();
                    if (start - end >= 0) {
                        break;
                    }
                    boolean ok = decider.decide(k);
                    long stop = System.nanoTime();
                    if (ok) {
                        admitted.incrementAndGet(k);
                    } else if (admitted.get(k) < CAPACITY) {
                        falseRejects.increment();
                    }
                    if (start - warmupEnd >= 0) {
                        if (ok) {
                            allowed.increment();
                        } else {
                            denied.increment();
                        }
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = stop - start;
                    }
                }
                latencies[id] = lat;
                counts[id] = n;
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < THREADS; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        double p50 = total == 0 ? 0 : all[(int) (total * 0.50)] / 1e6;
        double p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1e6;
        return new Result(variant, total / (double) SECONDS, p50, p99, allowed.sum(), denied.sum(), falseRejects.sum(),
                          fallbacks.sum());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
