/**
 * Where meters registered through Micrometer's own API go.
 * <p>
 * Entry point: {@link io.dharma.metrics.MicrometerBinders}. Dharma's own meters go through Helidon's metrics API;
 * Micrometer's binders (JVM and process, HikariCP's tracker, the Caffeine binder) bind to the registry this library
 * returns, which is the one {@code /metrics} publishes.
 */
@NullMarked
package io.dharma.metrics;

import org.jspecify.annotations.NullMarked;
