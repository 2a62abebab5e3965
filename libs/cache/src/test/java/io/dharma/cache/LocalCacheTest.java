package io.dharma.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import io.dharma.metrics.MicrometerBinders;
import io.dharma.testing.FakeClock;
import io.dharma.testing.YamlConfig;

import io.helidon.health.HealthCheckResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cache without Redis: L1 only, the same semantics within one instance. */
class LocalCacheTest {
    private final FakeClock ticker = new FakeClock();
    private final AtomicInteger loads = new AtomicInteger();
    private final List<Caches> created = new ArrayList<>();

    @AfterEach
    void close() {
        created.forEach(Caches::close);
    }

    @Test
    void loadsOnceThenServesFromL1() {
        Cache<Blueprint> cache = cache("local-basic", "");
        double hits = impl(cache).metrics().hitsL1.count();
        assertThat(cache.get("a", loader("a", "alice")).orElseThrow().revision(), is(1));
        assertThat(cache.get("a", loader("a", "alice")).orElseThrow().revision(), is(1));
        assertThat(cache.get("a", loader("a", "alice")).orElseThrow().revision(), is(1));
        assertThat(loads.get(), is(1));
        assertThat(impl(cache).metrics().hitsL1.count() - hits, is(2.0));
    }

    @Test
    void invalidateAndPut() {
        Cache<Blueprint> cache = cache("local-writes", "");
        cache.get("a", loader("a", "alice"));
        cache.invalidate("a");
        assertThat(cache.get("a", loader("a", "alice")).orElseThrow().revision(), is(2));
        cache.put("a", new Blueprint("a", "alice", 10));
        assertThat(cache.get("a", loader("a", "alice")).orElseThrow().revision(), is(10));
        assertThat(loads.get(), is(2));
    }

    @Test
    void tagInvalidationDropsExactlyTheEntriesCarryingIt() {
        Cache<Blueprint> cache = cache("local-tags", "");
        cache.get("a1", loader("a1", "alice"));
        cache.get("a2", loader("a2", "alice"));
        cache.get("b1", loader("b1", "bob"));
        cache.put("a3", new Blueprint("a3", "alice", 7), Set.of("owner:alice"));
        cache.invalidateTag("owner:alice");
        int before = loads.get();
        cache.get("a1", loader("a1", "alice"));
        cache.get("a2", loader("a2", "alice"));
        cache.get("a3", loader("a3", "alice"));
        assertThat("every alice entry reloaded", loads.get() - before, is(3));
        cache.get("b1", loader("b1", "bob"));
        assertThat("bob's entry is still cached", loads.get() - before, is(3));
        cache.invalidateAll();
        cache.get("b1", loader("b1", "bob"));
        assertThat(loads.get() - before, is(4));
    }

    @Test
    void tagsOffMakesTagInvalidationDropTheWholeCache() {
        Cache<Blueprint> cache = cache("local-no-tags", "    caches: {local-no-tags: {tags: false}}");
        cache.get("a1", loader("a1", "alice"));
        cache.get("b1", loader("b1", "bob"));
        cache.invalidateTag("owner:alice");
        cache.get("b1", loader("b1", "bob"));
        assertThat("nothing can be served stale when tags are off", loads.get(), is(3));
    }

    @Test
    void absentResultsAreCachedForTheNegativeTtl() {
        Cache<Blueprint> cache = cache("local-negative", "    negative-ttl: PT5S");
        Supplier<Loaded<Blueprint>> missing = () -> {
            loads.incrementAndGet();
            return Loaded.absent();
        };
        assertThat(cache.get("x", missing), is(Optional.empty()));
        assertThat(cache.get("x", missing), is(Optional.empty()));
        assertThat(loads.get(), is(1));
        ticker.advance(Duration.ofSeconds(6));
        cache.get("x", missing);
        assertThat("the negative entry lives 5 s, not the L1 TTL of 30 s", loads.get(), is(2));

        Cache<Blueprint> uncached = cache("local-negative-off", "    caches: {local-negative-off: {negative-ttl: PT0S}}");
        uncached.get("x", missing);
        uncached.get("x", missing);
        assertThat(loads.get(), is(4));
    }

    /** L1 evictions as Micrometer's Caffeine binder publishes them: {@code cache_evictions_total{cache}}. */
    private static double evictions(Cache<?> cache) {
        return MicrometerBinders.registry().get("cache.evictions").tag("cache", cache.name()).functionCounter().count();
    }

    @Test
    void l1TtlExpiresEntries() {
        Cache<Blueprint> cache = cache("local-ttl", "    l1: {ttl: PT10S}");
        double evictions = evictions(cache);
        cache.get("a", loader("a", "alice"));
        ticker.advance(Duration.ofSeconds(9));
        cache.get("a", loader("a", "alice"));
        assertThat(loads.get(), is(1));
        ticker.advance(Duration.ofSeconds(2));
        cache.get("a", loader("a", "alice"));
        assertThat(loads.get(), is(2));
        assertThat(evictions(cache) - evictions, is(1.0));
    }

    @Test
    void l1IsBounded() {
        Cache<Blueprint> cache = cache("local-size", "    l1: {max-size: 5}");
        for (int i = 0; i < 100; i++) {
            cache.get("k" + i, loader("k" + i, "alice"));
        }
        assertThat(impl(cache).near().size(), lessThanOrEqualTo(5L));
        assertThat(evictions(cache) >= 95, is(true));
    }

    @Test
    void concurrentMissesOfOneKeyLoadOnce() throws Exception {
        Cache<Blueprint> cache = cache("local-flight", "");
        Supplier<Loaded<Blueprint>> slow = () -> {
            loads.incrementAndGet();
            sleep(100);
            return new Blueprint("a", "alice", 1).loaded();
        };
        for (Optional<Blueprint> result : Fixtures.getConcurrently(50, i -> cache, "a", slow)) {
            assertThat(result.orElseThrow().revision(), is(1));
        }
        assertThat(loads.get(), is(1));
    }

    @Test
    void loaderFailureReachesTheCallerAndIsNotCached() {
        Cache<Blueprint> cache = cache("local-failure", "");
        double failures = impl(cache).metrics().loadFailures.count();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                                                    () -> cache.get("a", () -> {
                                                        throw new IllegalStateException("database down");
                                                    }));
        assertThat(thrown.getMessage(), is("database down"));
        assertThat(cache.get("a", loader("a", "alice")).orElseThrow().revision(), is(1));
        assertThat(impl(cache).metrics().loadFailures.count() - failures, is(1.0));
        assertThrows(CacheException.class, () -> cache.get("b", () -> null));
    }

    @Test
    void disabledCallsTheLoaderEveryTime() {
        Cache<Blueprint> cache = cache("local-disabled", "    enabled: false");
        cache.get("a", loader("a", "alice"));
        cache.put("a", new Blueprint("a", "alice", 9));
        assertThat(cache.get("a", loader("a", "alice")).orElseThrow().revision(), is(2));
        assertThat(loads.get(), is(2));
    }

    @Test
    void oneCodecPerName() {
        Caches caches = caches("");
        Cache<Blueprint> first = caches.cache("local-codec", Codec.json(Blueprint.class));
        assertThat(caches.cache("local-codec", Codec.json(Blueprint.class)), sameInstance(first));
        assertThat("JSON is the default codec", caches.cache("local-codec", Blueprint.class), sameInstance(first));
        assertThrows(CacheException.class, () -> caches.cache("local-codec", Codec.string()));
        assertThrows(CacheException.class, () -> caches.cache("no spaces", Codec.string()));
        assertThrows(CacheException.class, () -> first.get("", loader("", "alice")));
    }

    @Test
    void usageAsDocumented() {
        // docs/caching.md, "API", against an in-memory repository
        Map<String, Blueprint> rows = new HashMap<>(Map.of("b-1", new Blueprint("b-1", "alice", 1)));
        Function<String, Optional<Blueprint>> find = id -> {
            loads.incrementAndGet();
            return Optional.ofNullable(rows.get(id));
        };
        Optional<UnifiedJedis> redis = Optional.empty();
        try (Caches caches = Caches.create(YamlConfig.parse("cache: {l1: {ttl: PT1M}}").get("cache"), redis)) {
            Cache<Blueprint> blueprints = caches.cache("blueprints", Blueprint.class);
            Supplier<Optional<Blueprint>> read = () -> blueprints.get("b-1", () -> find.apply("b-1")
                    .map(found -> Loaded.value(found, "owner:" + found.owner()))
                    .orElseGet(Loaded::absent));
            assertThat(read.get().orElseThrow().revision(), is(1));
            rows.put("b-1", new Blueprint("b-1", "alice", 2));
            assertThat("cached", read.get().orElseThrow().revision(), is(1));
            blueprints.invalidateTag("owner:alice");
            assertThat(read.get().orElseThrow().revision(), is(2));
            rows.remove("b-1");
            blueprints.invalidate("b-1");
            assertThat(read.get(), is(Optional.empty()));
            assertThat("the absent result is cached", read.get(), is(Optional.empty()));
            assertThat(loads.get(), is(3));
            assertThat(caches.readinessCheck().name(), is("cache"));
        }
    }

    @Test
    void readinessWithoutRedis() {
        HealthCheckResponse response = caches("").readinessCheck().call();
        assertThat(response.status(), is(HealthCheckResponse.Status.UP));
        assertThat(response.details().get("backend"), is("in-process"));
        assertThat(response.details().get("state"), is("ok"));
    }

    private Supplier<Loaded<Blueprint>> loader(String id, String owner) {
        return () -> new Blueprint(id, owner, loads.incrementAndGet()).loaded();
    }

    private Cache<Blueprint> cache(String name, String extra) {
        return caches(extra).cache(name, Codec.json(Blueprint.class));
    }

    private Caches caches(String extra) {
        Caches caches = Caches.create(Fixtures.config("cache:\n" + extra + "\n"), Optional.empty(), ticker::nanoTime);
        created.add(caches);
        return caches;
    }

    private static CacheImpl<Blueprint> impl(Cache<Blueprint> cache) {
        return (CacheImpl<Blueprint>) cache;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
