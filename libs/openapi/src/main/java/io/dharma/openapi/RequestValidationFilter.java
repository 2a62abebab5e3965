package io.dharma.openapi;

import java.util.Optional;

import io.dharma.errors.ApiException;
import io.dharma.errors.Problems;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Validates every request the document has an operation for (path and query parameters, headers, content type and
 * body) before any handler runs, and answers 400 or 415 itself when it breaks the contract. The body is read here,
 * once, and handed on as {@link ValidatedBody}. Requests the document does not cover (health, metrics, unknown routes)
 * pass untouched: routing answers those.
 */
final class RequestValidationFilter implements Filter {
    private static final byte[] NO_BODY = new byte[0];

    private final Contract contract;

    RequestValidationFilter(Contract contract) {
        this.contract = contract;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<Contract.Match> match = contract.operation(req.prologue().method(), req.path());
        if (match.isEmpty()) {
            chain.proceed();
            return;
        }
        boolean hasBody = req.content().hasEntity();
        byte[] body = hasBody ? req.content().as(byte[].class) : NO_BODY;
        Optional<ApiException> rejection = match.get().operation().check(match.get().path(), req.query(), req.headers(), body);
        if (rejection.isPresent()) {
            // answered here, not thrown: an exception from a filter is not reliably routed to error handlers
            Problems.send(req, res, rejection.get());
            return;
        }
        if (hasBody) {
            req.context().register(new ValidatedBody(body));
        }
        chain.proceed();
    }
}
