/**
 * OpenTelemetry tracing: {@link io.dharma.tracing.Tracing} sets up the SDK from the {@code tracing} config node and
 * serves the server-span observer and the log filter.
 */
@NullMarked
package io.dharma.tracing;

import org.jspecify.annotations.NullMarked;
