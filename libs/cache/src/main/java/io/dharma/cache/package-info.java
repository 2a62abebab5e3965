/**
 * Two-level read-through caching for Dharma services: L1 in process (Caffeine, bounded, short TTL), L2 in Redis
 * (TTL with jitter), kept consistent across instances by versioned invalidations on a Redis channel, with tags, single
 * flight and a cross-instance load lease; Redis slow or down degrades to L1 and the loader, never to an error.
 * <p>
 * Entry point: {@link io.dharma.cache.Caches#create(io.helidon.config.Config, java.util.Optional)}, which gives the
 * named {@link io.dharma.cache.Cache}s and the readiness check. Loaders return {@link io.dharma.cache.Loaded};
 * values are stored in Redis through a {@link io.dharma.cache.Codec}. Configuration:
 * {@link io.dharma.cache.CachesConfig}, {@link io.dharma.cache.CacheConfig}.
 */
@NullMarked
package io.dharma.cache;

import org.jspecify.annotations.NullMarked;
