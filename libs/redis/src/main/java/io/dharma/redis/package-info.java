/**
 * Redis behaviour shared by the caches and the rate limiter: {@link io.dharma.redis.Redis} builds pooled Jedis clients
 * of one server or a Redis Cluster with bounded timeouts, {@link io.dharma.redis.RedisScript} runs Lua scripts by SHA,
 * {@link io.dharma.redis.RedisHealth} tracks outages (one probe at a time, doubling backoff) and
 * {@link io.dharma.redis.RedisUnavailable} is what a failed or skipped call throws.
 */
@NullMarked
package io.dharma.redis;

import org.jspecify.annotations.NullMarked;
