package io.dharma.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.dharma.testing.FakeClock;
import io.dharma.testing.RedisServer;
import io.dharma.testing.RequiresServices;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

import static io.dharma.cache.Instances.await;
import static io.dharma.cache.Instances.blueprints;
import static io.dharma.cache.Instances.impl;
import static io.dharma.cache.Instances.state;
import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Redis stopped, paused, out of memory, or dropping the subscription, on a private redis-server: gets keep succeeding,
 * readiness reports the degradation, and everything recovers by itself, subscription included.
 */
@RequiresServices(REDIS_BINARIES)
class RedisOutageIT {
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private final RedisServer redis = RedisServer.start();
    private final Instances instances = new Instances(redis.port());
    private final AtomicInteger loads = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        instances.close();
        redis.close();
    }

    @Test
    void redisStoppedMidTestThenRestarted() {
        Caches first = instances.start("");
        Caches second = instances.start("");
        Cache<Blueprint> a = blueprints(first);
        Cache<Blueprint> b = blueprints(second);
        a.get("b-1", loader("b-1"));
        b.get("b-1", loader("b-1"));
        double degraded = impl(a).metrics().degraded.count();

        long epoch = first.node().epoch();
        redis.stop();
        await("subscription lost, L1 flushed", Duration.ofSeconds(5),
              () -> state(first, "subscription").equals("down") && first.node().epoch() > epoch);
        assertThat(first.degraded(), is(true));
        for (int i = 0; i < 20; i++) {
            assertThat(a.get("k" + i, loader("k" + i)).orElseThrow().id(), is("k" + i));
        }
        int loaded = loads.get();
        assertThat(a.get("b-1", loader("b-1")).isPresent(), is(true));
        assertThat("an entry from before the outage may have missed messages: not served", loads.get(), is(loaded + 1));
        assertThat(state(first, "state"), is("degraded"));
        assertThat(state(first, "redis"), is("down"));
        assertThat(impl(a).metrics().degraded.count() - degraded, greaterThan(20.0));
        int before = loads.get();
        a.get("k0", loader("k0"));
        assertThat("values loaded during the outage are kept in L1 (degraded-ttl)", loads.get(), is(before));

        redis.restart();
        await("A recovered", RECOVERY, () -> state(first, "state").equals("ok"));
        await("B recovered", RECOVERY, () -> state(second, "state").equals("ok"));
        // the subscription is back: an invalidation on A reaches B's L1 again
        a.get("b-2", loader("b-2"));
        b.get("b-2", loader("b-2"));
        int reloaded = loads.get();
        a.invalidate("b-2");
        await("B reloads after A's invalidation", Duration.ofSeconds(5),
              () -> b.get("b-2", loader("b-2")).orElseThrow().revision() > reloaded);
    }

    @Test
    void slowRedisIsBoundedByTheTimeoutAndAHungSubscriptionIsNoticed() throws Exception {
        Caches caches = instances.start("  redis-timeout: PT0.1S");
        Cache<Blueprint> cache = blueprints(caches);
        cache.get("warm", loader("warm"));
        try (Jedis admin = redis.client()) {
            admin.clientPause(2_000);
        }
        long start = System.nanoTime();
        assertThat(cache.get("b-1", loader("b-1")).orElseThrow().id(), is("b-1"));
        long took = System.nanoTime() - start;
        assertThat("answered long before Redis did", Duration.ofNanos(took), lessThan(Duration.ofMillis(1_500)));
        assertThat(state(caches, "state"), is("degraded"));
        await("heartbeats missed", Duration.ofMillis(2_500), () -> state(caches, "subscription").equals("down"));
        await("recovered after the pause", RECOVERY, () -> state(caches, "state").equals("ok"));
    }

    @Test
    void invalidationsMadeDuringAnOutageAreReplayed() {
        Caches first = instances.start("");
        Cache<Blueprint> a = blueprints(first);
        Cache<Blueprint> b = blueprints(instances.start(""));
        a.get("b-1", loader("b-1"));
        b.get("b-1", loader("b-1"));
        try (Jedis admin = redis.client()) {
            // writes fail, the entry stays: without a replay it would outlive the invalidation below
            admin.configSet("maxmemory", "1");
            a.invalidate("b-1");
            assertThat(state(first, "redis"), is("down"));
            assertThat(state(first, "pendingInvalidations"), is("1"));
            assertThat("B still has the old value, as it would while A cannot reach Redis",
                       b.get("b-1", loader("b-1")).orElseThrow().revision(), is(1));
            admin.configSet("maxmemory", "0");
        }
        await("A replayed and recovered", RECOVERY, () -> state(first, "state").equals("ok"));
        await("B received the replayed invalidation", Duration.ofSeconds(5),
              () -> b.get("b-1", loader("b-1")).orElseThrow().revision() == 2);
        assertThat(blueprints(instances.start("")).get("b-1", loader("b-1")).orElseThrow().revision(), is(2));
    }

    @Test
    void lostSubscriptionBypassesL1AndFlushesIt() {
        // a slow reconnect leaves time to look at the bypass
        Caches first = instances.start("  probe-backoff: PT1S\n  max-probe-backoff: PT1S");
        Cache<Blueprint> a = blueprints(first);
        Cache<Blueprint> b = blueprints(instances.start(""));
        a.get("b-1", loader("b-1"));
        try (Jedis admin = redis.client()) {
            admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
        }
        await("A lost its subscription", Duration.ofSeconds(2), () -> state(first, "subscription").equals("down"));
        assertThat(state(first, "state"), is("degraded"));
        double l1 = impl(a).metrics().hitsL1.count();
        double l2 = impl(a).metrics().hitsL2.count();
        assertThat(a.get("b-1", failing()).orElseThrow().revision(), is(1));
        assertThat("not from L1", impl(a).metrics().hitsL1.count() - l1, is(0.0));
        assertThat("from L2", impl(a).metrics().hitsL2.count() - l2, is(1.0));
        // a message A cannot hear: its old L1 entry must not come back with the subscription
        b.invalidate("b-1");
        await("A subscribed again", Duration.ofSeconds(5), () -> state(first, "subscription").equals("up"));
        assertThat(a.get("b-1", loader("b-1")).orElseThrow().revision(), is(2));
    }

    @Test
    void oneRoundTripPerOperationAndNeverKeysOrScan() {
        FakeClock ticker = new FakeClock();
        Cache<Blueprint> cache = blueprints(instances.start("", ticker));
        // load every script once, so NOSCRIPT retries do not count
        cache.get("warm", loader("warm"));
        cache.put("warm", new Blueprint("warm", "alice", 0));
        cache.invalidate("warm");
        long calls = scriptCalls();
        cache.get("b-1", loader("b-1"));
        assertThat("a miss: read, then fill", scriptCalls() - calls, is(2L));
        ticker.advance(Duration.ofMinutes(1));
        cache.get("b-1", failing());
        assertThat("an L2 hit with its tag versions checked", scriptCalls() - calls, is(3L));
        cache.invalidateTag("owner:alice");
        cache.invalidate("b-1");
        cache.put("b-1", new Blueprint("b-1", "alice", 9));
        assertThat(scriptCalls() - calls, is(6L));
        assertThat(redis.commandCalls("keys") + redis.commandCalls("scan"), is(0L));
    }

    private long scriptCalls() {
        return redis.commandCalls("evalsha") + redis.commandCalls("eval");
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
