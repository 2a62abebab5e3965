package io.dharma.errors;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Catches every exception thrown further down the chain and answers a problem. Unexpected exceptions become
 * 500 INTERNAL_ERROR: their stack is logged once (the log line carries the correlation id), the body never carries
 * exception text.
 */
final class ProblemFilter implements Filter {
    private static final System.Logger LOGGER = System.getLogger(ProblemFilter.class.getName());

    private final List<Function<Throwable, Optional<ApiException>>> translators;

    ProblemFilter(List<Function<Throwable, Optional<ApiException>>> translators) {
        this.translators = List.copyOf(translators);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        try {
            chain.proceed();
        } catch (Throwable t) {
            ApiException problem = translate(t);
            if (res.isSent()) {
                LOGGER.log(System.Logger.Level.ERROR, "Failure after the response was sent: " + req.prologue(), t);
                return;
            }
            if (problem.code().status().code() >= 500) {
                LOGGER.log(System.Logger.Level.ERROR, "Request failed: " + req.prologue().method().text() + " "
                        + req.prologue().uriPath().rawPath() + " -> " + problem.code(), t);
            }
            res.reset();
            Problems.send(req, res, problem);
        }
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
