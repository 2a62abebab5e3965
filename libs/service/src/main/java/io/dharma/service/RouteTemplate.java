package io.dharma.service;

import java.util.Optional;

import io.helidon.common.context.Context;

/**
 * The route template ({@code /api/v1/blueprints/{id}}) a request matched, recorded in the request context so logs and
 * metrics never label by raw path.
 *
 * @param value the full template, register prefix included
 */
record RouteTemplate(String value) {
    /** Label of requests that matched no route. */
    static final String UNMATCHED = "unmatched";

    /**
     * The template recorded for a request.
     *
     * @param context request context
     * @return template, or empty if no route matched (yet)
     */
    static Optional<String> of(Context context) {
        return context.get(RouteTemplate.class).map(RouteTemplate::value);
    }
}
