/**
 * Redis clients of a service: {@link io.dharma.redis.Redis} builds pooled Jedis clients with bounded timeouts.
 */
@NullMarked
package io.dharma.redis;

import org.jspecify.annotations.NullMarked;
