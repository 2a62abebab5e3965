package io.dharma.cache;

import io.dharma.redis.RedisScript;

/**
 * The caches' Lua scripts, next to this class: each is one round trip over the keys of one cache, which share a hash
 * slot ({@link RedisEntries}).
 */
final class Script {
    static final RedisScript READ = RedisScript.load(Script.class, "read");
    static final RedisScript FILL = RedisScript.load(Script.class, "fill");
    static final RedisScript PUT = RedisScript.load(Script.class, "put");
    static final RedisScript INVALIDATE = RedisScript.load(Script.class, "invalidate");

    private Script() {
    }
}
