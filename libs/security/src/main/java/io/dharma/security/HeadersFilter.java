package io.dharma.security;

import java.util.ArrayList;
import java.util.List;

import io.dharma.errors.PathTemplate;
import io.dharma.errors.SurvivingHeaders;

import io.helidon.common.uri.UriPath;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import org.jspecify.annotations.Nullable;

/**
 * Puts the security headers on every response before the rest of the chain runs, so responses answered by later
 * filters (401, 403, 413, 429) and by handlers carry them; {@code Cache-Control} is a default a handler may replace.
 * Error answers get them back through {@link SurvivingHeaders}.
 */
final class HeadersFilter implements Filter {
    private final List<Header> fixed;
    private final @Nullable Header csp;
    private final List<CspRule> overrides;
    private final @Nullable Header cacheControl;

    HeadersFilter(HeadersConfig config) {
        this.fixed = fixedHeaders(config);
        this.csp = create("Content-Security-Policy", config.contentSecurityPolicy());
        List<CspRule> compiled = new ArrayList<>();
        config.cspOverrides().forEach(o -> compiled.add(new CspRule(PathTemplate.create(o.path()),
                                                                     HeaderValues.createCached("Content-Security-Policy",
                                                                                               o.policy()))));
        this.overrides = List.copyOf(compiled);
        this.cacheControl = create(HeaderNames.CACHE_CONTROL.defaultCase(), config.cacheControl());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        SurvivingHeaders keep = SurvivingHeaders.of(req.context());
        for (Header header : fixed) {
            keep.set(res, header);
        }
        Header policy = policy(req.prologue().uriPath());
        if (policy != null) {
            keep.set(res, policy);
        }
        if (cacheControl != null) {
            keep.set(res, cacheControl);
        }
        chain.proceed();
    }

    private @Nullable Header policy(UriPath path) {
        for (CspRule override : overrides) {
            if (override.template().matchesPrefix(path)) {
                return override.header();
            }
        }
        return csp;
    }

    /**
     * Every header of a response that did not come through routing (the direct handler): the fixed ones, the default
     * policy and the cache control.
     */
    static List<Header> allDefaults(HeadersConfig config) {
        List<Header> headers = new ArrayList<>(fixedHeaders(config));
        Header csp = create("Content-Security-Policy", config.contentSecurityPolicy());
        if (csp != null) {
            headers.add(csp);
        }
        Header cacheControl = create(HeaderNames.CACHE_CONTROL.defaultCase(), config.cacheControl());
        if (cacheControl != null) {
            headers.add(cacheControl);
        }
        return List.copyOf(headers);
    }

    private static List<Header> fixedHeaders(HeadersConfig config) {
        List<Header> headers = new ArrayList<>();
        headers.add(HeaderValues.createCached("X-Content-Type-Options", "nosniff"));
        if (config.hsts().enabled()) {
            headers.add(HeaderValues.createCached(HeaderNames.STRICT_TRANSPORT_SECURITY.defaultCase(), config.hsts().value()));
        }
        add(headers, "X-Frame-Options", config.frameOptions());
        add(headers, "Referrer-Policy", config.referrerPolicy());
        add(headers, "Permissions-Policy", config.permissionsPolicy());
        add(headers, "Cross-Origin-Opener-Policy", config.crossOriginOpenerPolicy());
        add(headers, "Cross-Origin-Resource-Policy", config.crossOriginResourcePolicy());
        return List.copyOf(headers);
    }

    private static void add(List<Header> headers, String name, String value) {
        Header header = create(name, value);
        if (header != null) {
            headers.add(header);
        }
    }

    private static @Nullable Header create(String name, String value) {
        return value.isEmpty() ? null : HeaderValues.createCached(name, value);
    }

    private record CspRule(PathTemplate template, Header header) {
    }
}
