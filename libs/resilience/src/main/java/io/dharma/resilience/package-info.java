/**
 * Resilient calls to downstream services: a Helidon WebClient per downstream, composed with Helidon fault tolerance
 * (bulkhead, retry with exponential backoff and jitter, circuit breaker, per-attempt timeout) from the
 * {@code resilience.downstreams} configuration, with metrics, logged breaker transitions, readiness checks and
 * correlation id propagation.
 * <p>
 * Entry points: {@link io.dharma.resilience.Downstreams#create(io.helidon.config.Config)} and
 * {@link io.dharma.resilience.Downstream}; requests and answers are {@link io.dharma.resilience.DownstreamRequest}
 * and {@link io.dharma.resilience.DownstreamResponse}; failed calls are {@link io.dharma.resilience.DownstreamException}s
 * (503 / 504 problems). Settings and their defaults: {@link io.dharma.resilience.DownstreamConfig}.
 */
@NullMarked
package io.dharma.resilience;

import org.jspecify.annotations.NullMarked;
