package io.dharma.errors;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.helidon.common.context.Context;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.Filter;

/**
 * Entry point of the errors library: the error handler that turns every exception thrown while routing into a
 * problem response, the filter that enforces body size and content type, and the direct handler for failures Helidon detects
 * before routing (bad request lines, bodies over the limit).
 */
public final class Errors {
    private Errors() {
    }

    /**
     * Error handler mapping every exception to a problem; register it with
     * {@code routing.error(Throwable.class, handler)}. Helidon runs it inside the filter chain, so filters that wrap
     * the chain (access log, metrics) see the final status.
     *
     * @param config      errors configuration
     * @param translators turn library exceptions (e.g. SQL errors) into {@link ApiException}s; the first match wins
     * @return error handler
     */
    public static ErrorHandler<Throwable> errorHandler(ErrorsConfig config,
                                                       List<Function<Throwable, Optional<ApiException>>> translators) {
        Problems.typeBase(config.typeBase());
        return new ProblemErrorHandler(translators);
    }

    /**
     * The simple class name of the exception the error handler turned into this request's answer, for the
     * {@code exception} label of request metrics; empty when no exception was thrown.
     *
     * @param context request context
     * @return exception class name
     */
    public static Optional<String> handledException(Context context) {
        return context.get(ProblemErrorHandler.Handled.class).map(ProblemErrorHandler.Handled::exception);
    }

    /**
     * The filter to install first (after correlation and observation): rejects requests whose path is not in normal
     * form or whose structured headers cannot be parsed (400 problem, before any other filter reads them), and answers
     * with the error handler for any exception a later filter lets escape (Helidon 4.1.2 does not route a filter's
     * exception to the error handlers), so every request is answered.
     *
     * @param handler the error handler also registered for {@code Throwable}
     * @return filter
     */
    public static Filter guard(ErrorHandler<Throwable> handler) {
        return new RequestGuard(handler);
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
