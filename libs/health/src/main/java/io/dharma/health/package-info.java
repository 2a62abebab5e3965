/**
 * Kubernetes probes: {@code /health/live}, {@code /health/ready} and {@code /health/started}.
 * <p>
 * Entry point: {@link io.dharma.health.Probes}. Checks are Helidon {@link io.helidon.health.HealthCheck}s; readiness
 * checks run in parallel, each bounded by a timeout, so the probe answers in about a second even when a dependency
 * hangs. Liveness never touches a dependency. Results are reused for {@code health.cache-ttl}, so probe traffic
 * cannot multiply work on dependencies.
 */
@NullMarked
package io.dharma.health;

import org.jspecify.annotations.NullMarked;
