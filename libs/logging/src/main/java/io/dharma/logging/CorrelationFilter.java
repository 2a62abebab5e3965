package io.dharma.logging;

import java.util.Optional;

import io.helidon.common.context.Contexts;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import org.slf4j.MDC;

/**
 * Gives every request a correlation id: accepts a valid {@code X-Correlation-Id} (else {@code X-Request-Id}),
 * otherwise generates a UUID; registers it in the request context and the MDC, and echoes it on the response.
 * The rest of the chain runs with the request context as the current context ({@code Contexts.context()}).
 */
final class CorrelationFilter implements Filter {
    static final CorrelationFilter INSTANCE = new CorrelationFilter();

    private CorrelationFilter() {
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String id = resolve(req.headers());
        CorrelationId.register(req.context(), id);
        // before proceed: once the handler has sent the response, headers can no longer be added
        // a cached header is written as it is; one made from text is copied by Helidon once more before writing
        res.header(HeaderValues.createCached(CorrelationId.HEADER_NAME, true, false, id));
        MDC.put(CorrelationId.MDC_KEY, id);
        try {
            // Helidon 4.1.2 makes req.context() current only with ContextFeature; do it here so that
            // CorrelationId.current() and the WebClient service find the id in every later filter and handler
            Contexts.runInContext(req.context(), chain::proceed);
        } finally {
            // requests on one keep-alive connection share a virtual thread: a leftover id would leak into the next one
            MDC.remove(CorrelationId.MDC_KEY);
        }
    }

    static String resolve(ServerRequestHeaders headers) {
        return valid(headers.first(CorrelationId.HEADER_NAME))
                .or(() -> valid(headers.first(CorrelationId.REQUEST_ID_HEADER_NAME)))
                .orElseGet(CorrelationId::generate);
    }

    private static Optional<String> valid(Optional<String> candidate) {
        return candidate.map(String::trim).filter(CorrelationId::isValid);
    }
}
