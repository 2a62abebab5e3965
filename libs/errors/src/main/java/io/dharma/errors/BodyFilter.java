package io.dharma.errors;

import java.util.List;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Rejects request bodies over the size limit (413) and non-JSON bodies on JSON paths (415) before any handler runs.
 * Chunked bodies without a length are bounded by the server's {@code max-payload-size}, which the bootstrap sets to
 * the same limit.
 */
final class BodyFilter implements Filter {
    private final ErrorsConfig config;
    private final List<PathPrefix> jsonPaths;

    BodyFilter(ErrorsConfig config) {
        this.config = config;
        this.jsonPaths = config.jsonPaths().stream().map(PathPrefix::new).toList();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        var headers = req.headers();
        long length = headers.contentLength().orElse(-1);
        if (length > config.maxBodySize()) {
            Problems.send(req, res, ApiException.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body has " + length
                    + " bytes; the limit is " + config.maxBodySize()));
            return;
        }
        boolean hasBody = length > 0 || headers.contains(HeaderNames.TRANSFER_ENCODING);
        if (hasBody && carriesEntity(req.prologue().method()) && PathPrefix.anyMatches(jsonPaths, req.path().path())) {
            boolean json = headers.contentType()
                    .map(HttpMediaType::mediaType)
                    .map(type -> type.subtype().equals("json") || type.subtype().endsWith("+json"))
                    .orElse(false);
            if (!json) {
                // answered here, not thrown: an exception from a filter is not reliably routed to error handlers
                Problems.send(req, res, ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                                                        "The request body must be application/json, got "
                                                                + headers.contentType().map(HttpMediaType::text)
                                                                .orElse("no Content-Type")));
                return;
            }
        }
        chain.proceed();
    }

    private static boolean carriesEntity(Method method) {
        return method == Method.POST || method == Method.PUT || method == Method.PATCH;
    }
}
