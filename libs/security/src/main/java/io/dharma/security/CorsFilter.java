package io.dharma.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.errors.Problems;
import io.dharma.errors.SurvivingHeaders;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CORS (Fetch standard): answers preflights itself (204, or a 403 problem without CORS headers for a disallowed origin,
 * method or header), before authentication and without reaching a handler; adds the CORS response headers to actual
 * requests from allowed origins, error responses included. {@code Vary: Origin} is on every response while CORS is
 * on, whether or not the request had an {@code Origin}, errors included.
 */
final class CorsFilter implements Filter {
    private static final Logger LOGGER = LoggerFactory.getLogger(CorsFilter.class);
    private static final HeaderName REQUEST_METHOD = HeaderNames.ACCESS_CONTROL_REQUEST_METHOD;
    private static final HeaderName REQUEST_HEADERS = HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS;
    private static final Header VARY_ORIGIN = HeaderValues.createCached(HeaderNames.VARY, "Origin");
    private static final Header VARY_PREFLIGHT = HeaderValues.createCached(
            HeaderNames.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");

    private final CorsConfig config;
    private final boolean anyOrigin;
    private final Set<String> allowedHeaders;
    private final Header allowMethods;
    private final Header allowHeaders;
    private final Optional<Header> exposeHeaders;
    private final Header maxAge;

    CorsFilter(CorsConfig config) {
        this.config = config;
        this.anyOrigin = config.allowedOrigins().contains("*");
        Set<String> headers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        headers.addAll(config.allowedHeaders());
        this.allowedHeaders = headers;
        this.allowMethods = HeaderValues.createCached(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS,
                                                      String.join(", ", config.allowedMethods()));
        this.allowHeaders = HeaderValues.createCached(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
                                                      String.join(", ", config.allowedHeaders()));
        this.exposeHeaders = config.exposedHeaders().isEmpty() ? Optional.empty()
                : Optional.of(HeaderValues.createCached(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS,
                                                        String.join(", ", config.exposedHeaders())));
        this.maxAge = HeaderValues.createCached(HeaderNames.ACCESS_CONTROL_MAX_AGE, config.maxAge().toSeconds());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!config.enabled()) {
            chain.proceed();
            return;
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isPresent() && req.prologue().method() == Method.OPTIONS && req.headers().contains(REQUEST_METHOD)) {
            preflight(req, res, origin.get(), config.allows(origin.get()));
            return;
        }
        SurvivingHeaders keep = SurvivingHeaders.of(req.context());
        // every answer depends on the Origin (with "*" too: a request without one gets no CORS headers), so shared
        // caches must not serve one origin's answer, or the answer to a request without Origin, to another
        keep.set(res, VARY_ORIGIN);
        if (origin.isEmpty()) {
            chain.proceed();
            return;
        }
        if (config.allows(origin.get())) {
            for (Header header : allowHeaders(origin.get())) {
                keep.set(res, header);
            }
            exposeHeaders.ifPresent(header -> keep.set(res, header));
        }
        chain.proceed();
    }

    private void preflight(RoutingRequest req, RoutingResponse res, String origin, boolean allowed) {
        res.header(VARY_PREFLIGHT);
        String method = req.headers().first(REQUEST_METHOD).orElse("").trim().toUpperCase(Locale.ROOT);
        List<String> requested = requestedHeaders(req);
        String refusal = !allowed ? "origin not allowed"
                : !config.allowedMethods().contains(method) ? "method " + method + " not allowed"
                : !allowedHeaders.containsAll(requested) ? "headers " + requested + " not all allowed"
                : null;
        if (refusal != null) {
            LOGGER.debug("CORS preflight from {} refused: {}", origin, refusal);
            Problems.send(req, res, ApiException.of(ErrorCode.FORBIDDEN, "This cross-origin request is not allowed"));
            return;
        }
        allowHeaders(origin).forEach(res::header);
        res.header(allowMethods);
        res.header(allowHeaders);
        res.header(maxAge);
        res.status(Status.NO_CONTENT_204).send();
    }

    private List<Header> allowHeaders(String origin) {
        List<Header> headers = new ArrayList<>(2);
        headers.add(HeaderValues.create(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, anyOrigin ? "*" : origin.trim()));
        if (config.allowCredentials()) {
            headers.add(HeaderValues.createCached(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"));
        }
        return headers;
    }

    private static List<String> requestedHeaders(RoutingRequest req) {
        List<String> requested = new ArrayList<>();
        for (String value : req.headers().all(REQUEST_HEADERS, List::of)) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    requested.add(name.trim());
                }
            }
        }
        return requested;
    }
}
