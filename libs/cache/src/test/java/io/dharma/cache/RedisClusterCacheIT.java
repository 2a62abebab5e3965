package io.dharma.cache;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.dharma.testing.RedisCluster;
import io.dharma.testing.RequiresServices;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.dharma.cache.Instances.await;
import static io.dharma.cache.Instances.blueprints;
import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The two-level cache on a real local Redis Cluster (three primaries, three replicas): every key of a cache shares
 * its hash slot ({@code {<cache>}}), so each script is one round trip to that slot's primary; invalidations published
 * there reach the instances subscribed on any node; a killed primary degrades the caches until its replica serves the
 * slot, then they recover without a restart.
 */
@RequiresServices(REDIS_BINARIES)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisClusterCacheIT {
    private static final int WRITES = 200;
    private static RedisCluster cluster;
    private final AtomicInteger loads = new AtomicInteger();
    private Instances instances;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void aWriteOnOneInstanceIsReadOnTheOtherWithoutALoad() {
        instances = new Instances(cluster);
        Cache<Blueprint> a = blueprints(instances.start(""));
        Cache<Blueprint> b = blueprints(instances.start(""));
        a.get("b-1", loader("b-1"));
        assertThat("B is filled from L2", b.get("b-1", loader("b-1")).orElseThrow().revision(), is(1));
        long[] micros = new long[WRITES];
        for (int i = 0; i < WRITES; i++) {
            int revision = i + 2;
            long start = System.nanoTime();
            a.put("b-1", new Blueprint("b-1", "alice", revision), Set.of("owner:alice"));
            // B's L1 drops the key on the invalidation; its next read finds the new value in L2
            await("B reads revision " + revision, Duration.ofSeconds(5),
                  () -> b.get("b-1", failing()).orElseThrow().revision() == revision);
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        System.out.printf("Redis Cluster: write on A until B reads it, %d writes: p50 %d us, p99 %d us%n", WRITES,
                          micros[WRITES / 2], micros[WRITES * 99 / 100]);
        assertThat("nothing was loaded twice", loads.get(), is(1));
    }

    @Test
    void aKilledPrimaryDegradesTheCachesUntilItsReplicaServesTheSlot() {
        try (RedisCluster own = RedisCluster.start()) {
            instances = new Instances(own);
            Caches first = instances.start("");
            Caches second = instances.start("");
            Cache<Blueprint> a = blueprints(first);
            Cache<Blueprint> b = blueprints(second);
            a.get("b-1", loader("b-1"));
            b.get("b-1", loader("b-1"));

            int primary = own.primaryOf(instances.key(Instances.BLUEPRINTS, "seq"));
            own.kill(primary);
            for (int i = 0; i < 20; i++) {
                assertThat("answered without Redis", a.get("k" + i, loader("k" + i)).orElseThrow().id(), is("k" + i));
            }
            await("A is degraded", Duration.ofSeconds(5), first::degraded);

            own.awaitHealthy();
            assertThat(own.primaryOf(instances.key(Instances.BLUEPRINTS, "seq")), is(not(primary)));
            long healed = System.nanoTime();
            await("both recovered", Duration.ofSeconds(20), () -> !first.degraded() && !second.degraded());
            System.out.printf("Redis Cluster failover: caches recovered %d ms after the replica took over%n",
                              (System.nanoTime() - healed) / 1_000_000);
            // shared again: a write on A reaches B (invalidation and L2), no stale read
            a.put("b-1", new Blueprint("b-1", "alice", 99), Set.of("owner:alice"));
            await("B reads the write made after the failover", Duration.ofSeconds(5),
                  () -> b.get("b-1", loader("b-1")).orElseThrow().revision() == 99);
        }
    }

    private Supplier<Loaded<Blueprint>> loader(String id) {
        return () -> new Blueprint(id, "alice", loads.incrementAndGet()).loaded();
    }

    private static Supplier<Loaded<Blueprint>> failing() {
        return () -> {
            throw new AssertionError("the loader must not be called");
        };
    }
}
