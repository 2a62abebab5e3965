package io.dharma.errors;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.http.Filter;

/**
 * Entry point of the errors library: the filter that turns every exception thrown while routing into a problem
 * response, the filter that enforces body size and content type, and the direct handler for failures Helidon detects
 * before routing (bad request lines, bodies over the limit).
 */
public final class Errors {
    private Errors() {
    }

    /**
     * Filter mapping exceptions to problems; install it after the correlation and access-log filters.
     *
     * @param config      errors configuration
     * @param translators turn library exceptions (e.g. SQL errors) into {@link ApiException}s; the first match wins
     * @return filter
     */
    public static Filter problemFilter(ErrorsConfig config, List<Function<Throwable, Optional<ApiException>>> translators) {
        Problems.typeBase(config.typeBase());
        return new ProblemFilter(translators);
    }

    /**
     * Filter answering 413 for bodies over the limit and 415 for non-JSON bodies on JSON paths.
     *
     * @param config errors configuration
     * @return filter
     */
    public static Filter bodyFilter(ErrorsConfig config) {
        return new BodyFilter(config);
    }

    /**
     * Direct handler answering problem+json for errors Helidon handles outside routing.
     *
     * @return direct handler
     */
    public static DirectHandler directHandler() {
        return new ProblemDirectHandler();
    }
}
