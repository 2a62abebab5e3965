package io.dharma.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.dharma.testing.FakeClock;
import io.dharma.testing.RequiresServices;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import static io.dharma.cache.Instances.await;
import static io.dharma.cache.Instances.blueprints;
import static io.dharma.cache.Instances.impl;
import static io.dharma.testing.RequiresServices.Service.REDIS;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Two or three service instances (each its own {@link Caches} and Redis client) over the machine's Redis at
 * 127.0.0.1:6379, keys under a random prefix per test.
 */
@RequiresServices(REDIS)
class RedisCacheIT {
    private static final int REDIS = 6379;
    private final Instances instances = new Instances(REDIS);
    private final AtomicInteger loads = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        instances.close();
    }

    @Test
    void l2AnswersAfterL1ExpiryAndForOtherInstances() {
        FakeClock ticker = new FakeClock();
        Cache<Blueprint> a = blueprints(instances.start("  l1: {ttl: PT10S}", ticker));
        Cache<Blueprint> b = blueprints(instances.start(""));
        double l2Hits = impl(a).metrics().hitsL2.count();
        assertThat(a.get("b-1", loader("b-1", "alice")).orElseThrow().revision(), is(1));
        ticker.advance(Duration.ofSeconds(11));
        assertThat("from L2 after L1 expired", a.get("b-1", loader("b-1", "alice")).orElseThrow().revision(), is(1));
        assertThat("from L2 on another instance", b.get("b-1", loader("b-1", "alice")).orElseThrow().revision(), is(1));
        assertThat(loads.get(), is(1));
        assertThat(impl(a).metrics().hitsL2.count() - l2Hits, is(2.0));
    }

    @Test
    void l2TtlHasJitterAndExpires() throws Exception {
        FakeClock ticker = new FakeClock();
        Caches caches = instances.start("""
                  caches:
                    jittered: {l2: {ttl: PT2S, jitter: PT0.5S}}
                    brief: {l2: {ttl: PT0.3S, jitter: PT0S}, l1: {ttl: PT0.1S}}
                """, ticker);
        Cache<Blueprint> jittered = caches.cache("jittered", Codec.json(Blueprint.class));
        Cache<Blueprint> brief = caches.cache("brief", Codec.json(Blueprint.class));
        try (Jedis jedis = new Jedis("127.0.0.1", REDIS)) {
            for (int i = 0; i < 20; i++) {
                jittered.get("k" + i, loader("k" + i, "alice"));
                assertThat(jedis.pttl(instances.key("jittered", "e:k" + i)), allOf(greaterThan(1_400L), lessThanOrEqualTo(2_500L)));
            }
            jittered.invalidate("k0");
            assertThat("versions outlive the entries they check",
                       jedis.pttl(instances.key("jittered", "v:k0")), greaterThan(62_000L));
        }
        brief.get("x", loader("x", "alice"));
        Thread.sleep(500);
        ticker.advance(Duration.ofSeconds(1));
        brief.get("x", loader("x", "alice"));
        assertThat("expired in both layers", loads.get(), is(22));
    }

    @Test
    void entriesCloseToExpiryAreRefreshedInTheBackgroundByOneInstance() throws Exception {
        String settings = "  caches: {fresh: {l2: {ttl: PT2S, jitter: PT0S}, l1: {ttl: PT0.1S}, refresh-ahead: PT1.5S}}";
        FakeClock ticker = new FakeClock();
        Cache<Blueprint> a = instances.start(settings, ticker).cache("fresh", Codec.json(Blueprint.class));
        Cache<Blueprint> b = instances.start(settings, ticker).cache("fresh", Codec.json(Blueprint.class));
        a.get("b-1", loader("b-1", "alice"));
        Thread.sleep(700);
        ticker.advance(Duration.ofSeconds(1));
        assertThat("callers get the current value at once", a.get("b-1", loader("b-1", "alice")).orElseThrow().revision(),
                   is(1));
        // B finds the entry close to expiry too (or already refreshed), but A holds the lease
        assertThat(b.get("b-1", loader("b-1", "alice")).isPresent(), is(true));
        await("reloaded in the background", Duration.ofSeconds(2), () -> loads.get() == 2);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(b.get("b-1", failing()).orElseThrow().revision(), is(2));
        try (Jedis jedis = new Jedis("127.0.0.1", REDIS)) {
            assertThat("with a new TTL", jedis.pttl(instances.key("fresh", "e:b-1")), greaterThan(1_500L));
        }
        Thread.sleep(200);
        assertThat("one instance refreshed", loads.get(), is(2));
    }

    @Test
    void putOnOneInstanceReplacesTheValueInTheOthersL1() {
        Cache<Blueprint> a = blueprints(instances.start(""));
        Cache<Blueprint> b = blueprints(instances.start(""));
        a.get("b-1", loader("b-1", "alice"));
        b.get("b-1", loader("b-1", "alice"));
        assertThat("B serves from its L1", b.get("b-1", failing()).orElseThrow().revision(), is(1));
        long start = System.nanoTime();
        a.put("b-1", new Blueprint("b-1", "alice", 99));
        Duration window = spinUntil(() -> b.get("b-1", failing()).orElseThrow().revision() == 99, start);
        System.out.printf("stale window, put on A until B serves the new value: %d us%n", window.toNanos() / 1_000);
        assertThat(loads.get(), is(1));
    }

    @Test
    void invalidateOnOneInstanceDropsTheKeyFromTheOthersL1() {
        Cache<Blueprint> a = blueprints(instances.start(""));
        Cache<Blueprint> b = blueprints(instances.start(""));
        a.get("b-1", loader("b-1", "alice"));
        b.get("b-1", loader("b-1", "alice"));
        double received = impl(b).metrics().received.count();
        long start = System.nanoTime();
        a.invalidate("b-1");
        Duration window = spinUntil(() -> b.get("b-1", loader("b-1", "alice")).orElseThrow().revision() == 2, start);
        System.out.printf("stale window, invalidate on A until B reloads: %d us%n", window.toNanos() / 1_000);
        // counted just after it is applied, so B may reload a moment before the count moves
        await("B counted the message", Duration.ofSeconds(5), () -> impl(b).metrics().received.count() > received);
        assertThat(impl(b).metrics().received.count() - received, is(1.0));
        assertThat(loads.get(), is(2));
    }

    @Test
    void tagInvalidationReachesBothLayersOnEveryInstance() {
        Caches first = instances.start("");
        Cache<Blueprint> a = blueprints(first);
        Cache<Blueprint> b = blueprints(instances.start(""));
        for (Cache<Blueprint> cache : List.of(a, b)) {
            cache.get("a-1", loader("a-1", "alice"));
            cache.get("a-2", loader("a-2", "alice"));
            cache.get("b-1", loader("b-1", "bob"));
        }
        assertThat("B was filled from L2", loads.get(), is(3));
        double received = impl(b).metrics().received.count();
        a.invalidateTag("owner:alice");
        await("B received the tag invalidation", Duration.ofSeconds(5),
              () -> impl(b).metrics().received.count() > received);

        // L2: an instance with an empty L1 sees the tag invalidated in Redis, and the untagged entry still there
        Cache<Blueprint> c = blueprints(instances.start(""));
        assertThat(c.get("a-1", loader("a-1", "alice")).orElseThrow().revision(), is(4));
        assertThat(c.get("b-1", failing()).orElseThrow().revision(), is(3));
        // L1 of both instances: no old alice entry is served; bob's stays in L1
        assertThat(b.get("a-1", failing()).orElseThrow().revision(), is(4));
        assertThat(b.get("a-2", loader("a-2", "alice")).orElseThrow().revision(), is(5));
        assertThat(a.get("a-2", failing()).orElseThrow().revision(), is(5));
        double l1Hits = impl(b).metrics().hitsL1.count();
        assertThat(b.get("b-1", failing()).orElseThrow().revision(), is(3));
        assertThat(impl(b).metrics().hitsL1.count() - l1Hits, is(1.0));
        assertThat(loads.get(), is(5));
    }

    @Test
    void concurrentMissesOverTwoInstancesLoadAtMostTwice() throws Exception {
        List<Cache<Blueprint>> caches = List.of(blueprints(instances.start("")), blueprints(instances.start("")));
        Supplier<Loaded<Blueprint>> slow = () -> {
            loads.incrementAndGet();
            LocalCacheTest.sleep(200);
            return new Blueprint("hot", "alice", 1).loaded();
        };
        for (Optional<Blueprint> result : Fixtures.getConcurrently(100, i -> caches.get(i % 2), "hot", slow)) {
            assertThat(result.orElseThrow().revision(), is(1));
        }
        System.out.printf("100 concurrent misses over 2 instances: %d load(s)%n", loads.get());
        assertThat(loads.get(), lessThanOrEqualTo(2));
    }

    @Test
    void lateFillAfterAWriteIsDropped() {
        Cache<Blueprint> a = blueprints(instances.start(""));
        Cache<Blueprint> b = blueprints(instances.start(""));
        double stale = impl(b).metrics().staleL2.count();
        double received = impl(b).metrics().received.count();
        // B reads the database, then A commits a newer value and puts it, then B's fill arrives
        Optional<Blueprint> loaded = b.get("b-1", () -> {
            loads.incrementAndGet();
            Blueprint old = new Blueprint("b-1", "alice", 1);
            a.put("b-1", new Blueprint("b-1", "alice", 99));
            await("B received the put", Duration.ofSeconds(5), () -> impl(b).metrics().received.count() > received);
            return old.loaded();
        });
        assertThat("the caller gets what it loaded", loaded.orElseThrow().revision(), is(1));
        assertThat(impl(b).metrics().staleL2.count() - stale, is(1.0));
        assertThat("B serves the newer value", b.get("b-1", failing()).orElseThrow().revision(), is(99));
        assertThat("so does L2", blueprints(instances.start("")).get("b-1", failing()).orElseThrow().revision(), is(99));
    }

    @Test
    void lateFillAfterAnInvalidationIsDropped() {
        Cache<Blueprint> a = blueprints(instances.start(""));
        Cache<Blueprint> b = blueprints(instances.start(""));
        b.get("b-1", () -> {
            Blueprint old = new Blueprint("b-1", "alice", loads.incrementAndGet());
            a.invalidate("b-1");
            return old.loaded();
        });
        assertThat("nothing was stored: the next read loads", b.get("b-1", loader("b-1", "alice")).orElseThrow().revision(),
                   is(2));
        b.get("b-2", () -> {
            Blueprint old = new Blueprint("b-2", "alice", loads.incrementAndGet());
            a.invalidateTag("owner:alice");
            return old.loaded();
        });
        assertThat("a tag invalidated during the load counts too",
                   b.get("b-2", loader("b-2", "alice")).orElseThrow().revision(), is(4));
    }

    @Test
    void lateMessageDoesNotDropNewerData() {
        Cache<Blueprint> a = blueprints(instances.start(""));
        Cache<Blueprint> b = blueprints(instances.start(""));
        a.put("b-1", new Blueprint("b-1", "alice", 1));
        long first;
        try (Jedis jedis = new Jedis("127.0.0.1", REDIS)) {
            first = Long.parseLong(jedis.get(instances.key(Instances.BLUEPRINTS, "v:b-1")));
        }
        a.put("b-1", new Blueprint("b-1", "alice", 2));
        a.put("marker", new Blueprint("marker", "bob", 1));
        assertThat(b.get("b-1", failing()).orElseThrow().revision(), is(2));
        assertThat(b.get("marker", failing()).orElseThrow().revision(), is(1));
        double l1Hits = impl(b).metrics().hitsL1.count();
        double l2Hits = impl(b).metrics().hitsL2.count();

        // the first put's invalidation, delivered again late, then a newer one for the marker: messages arrive in
        // order, so once the marker is gone from B's L1 the late message has been applied too (a count of received
        // messages cannot tell: the puts' own messages may still be on their way)
        publish(new Invalidation(Invalidation.Kind.KEY, first, "late", Instances.BLUEPRINTS, "b-1"));
        publish(new Invalidation(Invalidation.Kind.KEY, first + 1_000, "late", Instances.BLUEPRINTS, "marker"));
        await("B dropped the marker", Duration.ofSeconds(5), () -> impl(b).near().get("marker").isEmpty());
        assertThat(b.get("b-1", failing()).orElseThrow().revision(), is(2));
        assertThat("still from L1", impl(b).metrics().hitsL1.count() - l1Hits, is(1.0));

        // a newer one does drop it
        publish(new Invalidation(Invalidation.Kind.KEY, first + 1_000, "late", Instances.BLUEPRINTS, "b-1"));
        await("B dropped b-1", Duration.ofSeconds(5), () -> impl(b).near().get("b-1").isEmpty());
        assertThat(b.get("b-1", failing()).orElseThrow().revision(), is(2));
        assertThat("from L2 this time", impl(b).metrics().hitsL2.count() - l2Hits, is(1.0));
    }

    @Test
    void negativeEntriesAreSharedAndReplacedByAPut() {
        Cache<Blueprint> a = blueprints(instances.start(""));
        Cache<Blueprint> b = blueprints(instances.start(""));
        Supplier<Loaded<Blueprint>> missing = () -> {
            loads.incrementAndGet();
            return Loaded.absent("owner:alice");
        };
        assertThat(a.get("b-9", missing), is(Optional.empty()));
        assertThat(b.get("b-9", missing), is(Optional.empty()));
        assertThat(loads.get(), is(1));
        a.put("b-9", new Blueprint("b-9", "alice", 7));
        await("B sees the created value", Duration.ofSeconds(5), () -> b.get("b-9", missing).isPresent());
        assertThat(loads.get(), is(1));
    }

    @Test
    void readinessIsOkWithRedisAndSubscription() {
        Caches caches = instances.start("");
        assertThat(Instances.state(caches, "backend"), is("redis"));
        assertThat(Instances.state(caches, "state"), is("ok"));
        assertThat(Instances.state(caches, "subscription"), is("up"));
        assertThat(caches.degraded(), is(false));
    }

    private void publish(Invalidation invalidation) {
        try (Jedis jedis = new Jedis("127.0.0.1", REDIS)) {
            jedis.publish(instances.channel(), invalidation.format());
        }
    }

    private Supplier<Loaded<Blueprint>> loader(String id, String owner) {
        return () -> new Blueprint(id, owner, loads.incrementAndGet()).loaded();
    }

    private static Supplier<Loaded<Blueprint>> failing() {
        return () -> {
            throw new AssertionError("the loader must not be called");
        };
    }

    private static Duration spinUntil(java.util.function.BooleanSupplier condition, long start) {
        long deadline = start + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 5 s");
            }
            Thread.onSpinWait();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
