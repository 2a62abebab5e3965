/**
 * Rate limits for Dharma services: per client IP, per user, per tier and per route, as token buckets in their GCRA
 * form, decided in process or in Redis (one round trip per request, in-process fallback when Redis is slow or down).
 * <p>
 * Entry point: {@link io.dharma.ratelimit.RateLimiting#create(io.helidon.config.Config, java.util.Optional)}, which
 * gives the IP filter (before authentication), the user filter (after authentication), the readiness check and the
 * error-handler wrapper. {@link io.dharma.ratelimit.RateLimiter} is the backend-neutral core; its configuration is
 * {@link io.dharma.ratelimit.RateLimitConfig}.
 */
@NullMarked
package io.dharma.ratelimit;

import org.jspecify.annotations.NullMarked;
