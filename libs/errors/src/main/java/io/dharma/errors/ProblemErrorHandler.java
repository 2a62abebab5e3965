package io.dharma.errors;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Handles every exception thrown by a filter or handler (registered for {@code Throwable}) and answers a problem. Unexpected exceptions become
 * 500 INTERNAL_ERROR: their stack is logged once (the log line carries the correlation id), the body never carries
 * exception text.
 */
final class ProblemErrorHandler implements ErrorHandler<Throwable> {
    private static final System.Logger LOGGER = System.getLogger(ProblemErrorHandler.class.getName());

    private final List<Function<Throwable, Optional<ApiException>>> translators;

    ProblemErrorHandler(List<Function<Throwable, Optional<ApiException>>> translators) {
        this.translators = List.copyOf(translators);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res, Throwable t) {
        req.context().register(new Handled(t.getClass().getSimpleName()));
        ApiException problem = translate(t);
        Throwable cause = t == problem ? problem.getCause() : t;
        if (cause != null) {
            String request = req.prologue().method().text() + " " + req.prologue().uriPath().rawPath() + " -> "
                    + problem.code();
            if (problem.code().status().code() >= 500) {
                // a bug or a dependency failure: the one place its stack is logged, under the correlation id
                LOGGER.log(problem.code() == ErrorCode.INTERNAL_ERROR ? System.Logger.Level.ERROR
                                   : System.Logger.Level.WARNING, "Request failed: " + request, cause);
            } else {
                // the client's mistake (malformed JSON, a duplicate): worth a line, not a stack
                LOGGER.log(System.Logger.Level.INFO, "Request rejected: " + request + " (" + cause.getClass().getSimpleName()
                        + ")");
            }
        }
        SurvivingHeaders.restore(req, res);
        Problems.send(req, res, problem);
    }

    /** The exception handled for a request, kept in its context for the request metrics. */
    record Handled(String exception) {
    }

    ApiException translate(Throwable t) {
        if (t instanceof ApiException api) {
            return api;
        }
        for (var translator : translators) {
            Optional<ApiException> translated = translator.apply(t);
            if (translated.isPresent()) {
                return translated.get();
            }
        }
        if (isJsonFailure(t)) {
            return ApiException.of(ErrorCode.MALFORMED_JSON, "The request body is not valid JSON of the expected shape");
        }
        if (t instanceof HttpException http && http.status().code() < 500) {
            return fromStatus(http.status().code());
        }
        if (t instanceof RequestException request && request.status().code() < 500) {
            return fromStatus(request.status().code());
        }
        return ApiException.of(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred; quote the correlation id when "
                + "reporting it");
    }

    private static ApiException fromStatus(int status) {
        ErrorCode code = ErrorCode.forStatus(status);
        return ApiException.of(code, code.title());
    }

    private static boolean isJsonFailure(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getName().startsWith("jakarta.json.")) {
                return true;
            }
        }
        return false;
    }
}
