package io.dharma.bench.cache;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.dharma.cache.Cache;
import io.dharma.cache.Caches;
import io.dharma.cache.Codec;
import io.dharma.cache.Loaded;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * L1 hit of a dharma cache (no Redis: the embedded default) against a bare Caffeine lookup of the same 10,000 keys:
 * what the read-through API, the versioned entries and the metrics cost on top of Caffeine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class L1Bench {
    private static final int KEYS = 10_000;
    private final String[] keys = new String[KEYS];
    private Cache<String> cache;
    private com.github.benmanes.caffeine.cache.Cache<String, String> caffeine;

    @Setup
    public void setUp() {
        Caches caches = Caches.create(Config.just(ConfigSources.create(java.util.Map.of("l1.max-size", "100000",
                                                                                         "l1.ttl", "PT1H"))),
                                      Optional.empty());
        cache = caches.cache("l1-bench", Codec.string());
        caffeine = Caffeine.newBuilder().maximumSize(100_000).build();
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "key-" + i;
            String value = "value-" + i;
            cache.get(keys[i], () -> Loaded.value(value));
            caffeine.put(keys[i], value);
        }
    }

    @Benchmark
    public Optional<String> dharmaL1Hit() {
        return cache.get(keys[ThreadLocalRandom.current().nextInt(KEYS)], () -> {
            throw new IllegalStateException("a hit never loads");
        });
    }

    @Benchmark
    public String caffeineGetIfPresent() {
        return caffeine.getIfPresent(keys[ThreadLocalRandom.current().nextInt(KEYS)]);
    }
}
