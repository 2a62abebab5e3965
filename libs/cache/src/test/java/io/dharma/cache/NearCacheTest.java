package io.dharma.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.dharma.cache.Invalidation.Kind;
import io.dharma.testing.FakeClock;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The L1 ordering rules, with the races of a real deployment constructed step by step: a fill that read its value
 * before an invalidation it learns about only later, a message that arrives after newer data, a lost record.
 */
class NearCacheTest {
    private static final Duration TTL = Duration.ofSeconds(30);
    private final FakeClock ticker = new FakeClock();
    private final AtomicLong epoch = new AtomicLong();
    private final NearCache<String> near = new NearCache<>(1000, TTL, 1000, ticker::nanoTime, epoch::get);

    @Test
    void lateFillIsDropped() {
        // the value was read at version 5; the invalidation (version 6) was processed before the fill
        near.invalidated(Kind.KEY, "k", 6);
        assertThat(near.fill("k", entry("old", 5)), is(false));
        assertThat(near.get("k"), is(Optional.empty()));
        // a value read after the invalidation is fine
        assertThat(near.fill("k", entry("new", 6)), is(true));
        assertThat(value("k"), is("new"));
    }

    @Test
    void lateMessageDoesNotDropNewerData() {
        near.fill("k", entry("v2", 10));
        near.invalidated(Kind.KEY, "k", 7);
        assertThat(value("k"), is("v2"));
        near.invalidated(Kind.KEY, "k", 11);
        assertThat(near.get("k"), is(Optional.empty()));
    }

    @Test
    void fillThatWonTheRaceIsDroppedWhenTheMessageArrives() {
        // fill first (read at 5), the tag's invalidation at 6 is processed afterwards
        near.fill("k", entry("old", 5, "owner:alice"));
        near.fill("other", entry("kept", 5, "owner:bob"));
        near.invalidated(Kind.TAG, "owner:alice", 6);
        assertThat(near.get("k"), is(Optional.empty()));
        assertThat(value("other"), is("kept"));
        assertThat("a late fill carrying the tag is refused too", near.fill("k", entry("old", 5, "owner:alice")), is(false));
        assertThat(near.fill("k", entry("new", 6, "owner:alice")), is(true));
    }

    @Test
    void newerEntryIsNotReplacedByAnOlderFill() {
        near.fill("k", entry("v9", 9));
        near.fill("k", entry("v4", 4));
        assertThat(value("k"), is("v9"));
    }

    @Test
    void cacheWideInvalidation() {
        near.fill("a", entry("a", 3));
        near.fill("b", entry("b", 8));
        near.invalidated(Kind.ALL, "", 5);
        assertThat(near.get("a"), is(Optional.empty()));
        assertThat(value("b"), is("b"));
        assertThat(near.fill("c", entry("c", 4)), is(false));
    }

    @Test
    void newEpochInvalidatesEverythingBefore() {
        near.fill("k", entry("v", 5));
        long before = epoch.getAndIncrement();
        assertThat(near.get("k"), is(Optional.empty()));
        assertThat("a fill that started in the old epoch is refused",
                   near.fill("k", new Entry<>("v", 5, Set.of(), before, TTL.toNanos())), is(false));
        assertThat(near.fill("k", entry("v", 5)), is(true));
    }

    @Test
    void resetForgetsVersionsSoARestartedSequenceWorks() {
        near.invalidated(Kind.KEY, "k", 500);
        near.reset();
        // Redis restarted empty: its sequence is back at 1
        assertThat(near.fill("k", entry("v", 1)), is(true));
        assertThat(near.version(), is(0L));
    }

    @Test
    void evictedRecordRaisesTheFloor() {
        NearCache<String> small = new NearCache<>(1000, TTL, 2, ticker::nanoTime, epoch::get);
        small.fill("old", entry("old", 1));
        for (int i = 0; i < 50; i++) {
            small.invalidated(Kind.KEY, "r" + i, 10 + i);
        }
        // records were evicted for size: their versions are unknown, so nothing older than them is served
        assertThat(small.get("old"), is(Optional.empty()));
        assertThat(small.fill("r1", entry("stale?", 10)), is(false));
        assertThat(small.fill("fresh", entry("fresh", 100)), is(true));
    }

    @Test
    void localVersionsAreNewerThanEverythingSeen() {
        near.observe(41);
        assertThat(near.nextVersion(), is(42L));
        assertThat(near.version(), is(42L));
    }

    private String value(String key) {
        return near.get(key).orElseThrow().optional().orElseThrow();
    }

    private Entry<String> entry(String value, long version, String... tags) {
        return new Entry<>(value, version, Set.of(tags), epoch.get(), TTL.toNanos());
    }
}
