package io.dharma.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * L2 of one cache: the Lua scripts over its keys, each one round trip. Every key of a cache shares the hash tag
 * {@code {<cache>}}, so a script only touches one Redis Cluster slot:
 * <pre>
 * &lt;prefix&gt;{&lt;cache&gt;}:e:&lt;key&gt;   entry hash (kv, av, t:&lt;tag&gt; versions; d payload or a absent)   TTL l2.ttl ± jitter
 * &lt;prefix&gt;{&lt;cache&gt;}:v:&lt;key&gt;   key version                                              TTL l2.ttl + jitter + 1 min
 * &lt;prefix&gt;{&lt;cache&gt;}:t:&lt;tag&gt;   tag version                                              TTL l2.ttl + jitter + 1 min
 * &lt;prefix&gt;{&lt;cache&gt;}:l:&lt;key&gt;   lease of the instance loading the key                     TTL lease.ttl
 * &lt;prefix&gt;{&lt;cache&gt;}:seq        sequence every version is drawn from                       no TTL
 * &lt;prefix&gt;{&lt;cache&gt;}:all        cache-wide version                                         no TTL
 * </pre>
 */
final class RedisEntries {
    private final RedisBackend redis;
    private final String cache;
    private final String origin;
    private final String base;
    private final byte[] channel;
    private final byte[] sequence;
    private final byte[] all;
    private final byte[] tagPrefix;
    private final byte[] versionTtl;

    RedisEntries(RedisBackend redis, String keyPrefix, String cache, String origin, CacheConfig settings) {
        this.redis = redis;
        this.cache = cache;
        this.origin = origin;
        this.base = keyPrefix + "{" + cache + "}:";
        this.channel = bytes(channel(keyPrefix));
        this.sequence = bytes(base + "seq");
        redis.probeWith(base + "seq");
        this.all = bytes(base + "all");
        this.tagPrefix = bytes(base + "t:");
        this.versionTtl = number(settings.l2Ttl().plus(settings.l2Jitter()).plusMinutes(1).toMillis());
    }

    static String channel(String keyPrefix) {
        return keyPrefix + "invalidations";
    }

    /**
     * Read an entry; on a miss, try to take the lease to load it; on a hit with less than {@code refreshAhead} of
     * its TTL left, try to take the lease to reload it early.
     */
    Read read(String key, String leaseToken, Duration leaseTtl, Duration refreshAhead) {
        List<?> reply = (List<?>) redis.eval(Script.READ,
                                             List.of(key("e:", key), key("v:", key), sequence, all, key("l:", key)),
                                             List.of(tagPrefix, bytes(leaseToken), number(leaseTtl.toMillis()),
                                                     number(refreshAhead.toMillis())));
        long seq = (Long) reply.get(0);
        long keyVersion = (Long) reply.get(2);
        long allVersion = (Long) reply.get(3);
        if ((Long) reply.get(1) == 0) {
            return new Read(seq, false, keyVersion, allVersion, (Long) reply.get(4) == 1, false, new byte[0], Set.of());
        }
        List<String> tags = new ArrayList<>();
        for (Object tag : reply.subList(7, reply.size())) {
            tags.add(new String((byte[]) tag, StandardCharsets.UTF_8));
        }
        return new Read(seq, true, keyVersion, allVersion, (Long) reply.get(5) == 1, (Long) reply.get(4) == 1,
                        (byte[]) reply.get(6), Set.copyOf(tags));
    }

    /**
     * Store a loaded value, checked against the versions of the read that preceded the load, and release the lease.
     *
     * @param ttlMillis Redis TTL; 0 stores nothing and only releases the lease
     */
    Fill fill(String key, String leaseToken, Read read, boolean absent, byte[] payload, Set<String> tags, long ttlMillis) {
        List<byte[]> args = new ArrayList<>(List.of(tagPrefix, bytes(leaseToken), number(read.keyVersion()),
                                                    number(read.allVersion()), number(read.seq()), number(ttlMillis),
                                                    bytes(absent ? "1" : "0"), payload));
        tags.forEach(t -> args.add(bytes(t)));
        long result = (Long) redis.eval(Script.FILL, List.of(key("e:", key), key("v:", key), all, key("l:", key)), args);
        return result > 0 ? Fill.STORED : result == 0 ? Fill.SKIPPED : Fill.STALE;
    }

    /** Write a value at a new version and publish it; returns the version. */
    long put(String key, byte[] payload, Set<String> tags, long ttlMillis) {
        Invalidation.Kind kind = Invalidation.Kind.KEY;
        List<byte[]> args = new ArrayList<>(List.of(channel, bytes(Invalidation.head(kind)),
                                                    bytes(Invalidation.tail(origin, cache, key)), versionTtl, tagPrefix,
                                                    number(ttlMillis), payload));
        tags.forEach(t -> args.add(bytes(t)));
        return (Long) redis.eval(Script.PUT, List.of(sequence, key("v:", key), key("e:", key), all), args);
    }

    /** Invalidate a key, a tag or the whole cache at a new version and publish it; returns the version. */
    long invalidate(Invalidation.Kind kind, String subject) {
        List<byte[]> keys = switch (kind) {
        case KEY -> List.of(sequence, key("v:", subject), key("e:", subject));
        case TAG -> List.of(sequence, key("t:", subject));
        case ALL -> List.of(sequence, all);
        };
        List<byte[]> args = List.of(channel, bytes(Invalidation.head(kind)), bytes(Invalidation.tail(origin, cache, subject)),
                                    kind == Invalidation.Kind.ALL ? number(0) : versionTtl);
        return (Long) redis.eval(Script.INVALIDATE, keys, args);
    }

    /** Remember an invalidation made while Redis is unavailable, for replay. */
    void pending(Invalidation.Kind kind, String subject) {
        redis.pending(this, kind, subject);
    }

    private byte[] key(String type, String name) {
        return bytes(base + type + name);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] number(long value) {
        return bytes(Long.toString(value));
    }

    /** Outcome of a fill. */
    enum Fill {
        /** Stored in Redis. */
        STORED,
        /** Nothing to store (absent results are not cached). */
        SKIPPED,
        /** Refused: the key, a tag or the cache was invalidated after the read. */
        STALE
    }

    /**
     * One read: the versions it saw and, on a hit, the entry.
     *
     * @param seq        the cache's sequence number at the read
     * @param hit        whether a valid entry was found
     * @param keyVersion current key version
     * @param allVersion current cache-wide version
     * @param leased     whether this instance took the lease: to load a miss, or to refresh a hit early
     * @param absent     on a hit: whether it is a negative entry
     * @param payload    on a hit: the encoded value (empty if absent)
     * @param tags       on a hit: the entry's tags
     */
    record Read(long seq, boolean hit, long keyVersion, long allVersion, boolean leased, boolean absent, byte[] payload,
                Set<String> tags) {
    }
}
