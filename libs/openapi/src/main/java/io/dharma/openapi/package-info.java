/**
 * Spec-first API contracts: a service's checked-in OpenAPI document is served at {@code /openapi}, every request is
 * validated against it before a handler runs, and in tests every response is too.
 * <p>
 * Entry point: {@link io.dharma.openapi.OpenApi#create(io.helidon.config.Config)} (the {@code openapi} config node,
 * {@link io.dharma.openapi.OpenApiConfig}). Rejected requests are 400 VALIDATION_FAILED problems whose {@code errors}
 * name each field by JSON Pointer into the body ({@code /resources/0/type}) or {@code <in>/<name>} for a parameter
 * ({@code query/limit}), 400 MALFORMED_JSON for a missing or unparsable body, or 415 UNSUPPORTED_MEDIA_TYPE. Handlers
 * read the body they were validated with from {@link io.dharma.openapi.ValidatedBody}.
 */
@NullMarked
package io.dharma.openapi;

import org.jspecify.annotations.NullMarked;
