/**
 * RFC 9457 problem responses for every error path of a Dharma service.
 * <p>
 * Entry points: {@link io.dharma.errors.ApiException} (expected failures with a status and an {@link io.dharma.errors.ErrorCode}),
 * {@link io.dharma.errors.Errors} (the filter and direct handler that turn every exception into
 * {@code application/problem+json}), {@link io.dharma.errors.Problems} (send a problem from a handler).
 */
@NullMarked
package io.dharma.errors;

import org.jspecify.annotations.NullMarked;
