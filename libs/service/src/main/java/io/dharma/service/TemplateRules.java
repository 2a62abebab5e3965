package io.dharma.service;

import java.util.function.Predicate;

import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Decorates the rules a service registers its routes on: every handler first records its full route template in the
 * request context, and every (method, template) pair goes into the {@link RouteTable} for 404/405 answers. Every
 * {@code GET} route answers {@code HEAD} too.
 */
final class TemplateRules implements HttpRules {
    private final String prefix;
    private final HttpRules delegate;
    private final RouteTable table;

    TemplateRules(String prefix, HttpRules delegate, RouteTable table) {
        this.prefix = prefix;
        this.delegate = delegate;
        this.table = table;
    }

    static HttpService templated(String prefix, HttpService service, RouteTable table) {
        return rules -> service.routing(new TemplateRules(prefix, rules, table));
    }

    @Override
    public HttpRules register(HttpService... services) {
        for (HttpService service : services) {
            delegate.register(templated(prefix, service, table));
        }
        return this;
    }

    @Override
    public HttpRules register(String pathPattern, HttpService... services) {
        for (HttpService service : services) {
            delegate.register(pathPattern, templated(join(prefix, pathPattern), service, table));
        }
        return this;
    }

    @Override
    public HttpRules route(HttpRoute route) {
        delegate.route(route);
        return this;
    }

    @Override
    public HttpRules route(Method method, String pathPattern, Handler handler) {
        String template = join(prefix, pathPattern);
        table.add(method, template);
        delegate.route(method, pathPattern, recording(template, handler));
        if (method == Method.GET) {
            // HEAD is answered wherever GET is: the same handler, the same status and headers, no body
            delegate.route(Method.HEAD, pathPattern, recording(template, head(handler)));
        }
        return this;
    }

    @Override
    public HttpRules route(Predicate<Method> methods, PathMatcher pathMatcher, Handler handler) {
        delegate.route(methods, pathMatcher, recording(prefix + "/*", handler));
        return this;
    }

    @Override
    public HttpRules route(Method method, Handler handler) {
        String template = prefix.isEmpty() ? "/" : prefix;
        table.add(method, template);
        delegate.route(method, recording(template, handler));
        if (method == Method.GET) {
            delegate.route(Method.HEAD, recording(template, head(handler)));
        }
        return this;
    }

    private static Handler head(Handler get) {
        return (req, res) -> get.handle(req, new HeadResponse(res));
    }

    private static Handler recording(String template, Handler handler) {
        RouteTemplate value = new RouteTemplate(template);
        return (req, res) -> {
            // by type, not under a classifier: a classified registration creates a registry (and its lock) per request
            req.context().register(value);
            handler.handle(req, res);
        };
    }

    static String join(String prefix, String path) {
        if (path.isEmpty() || path.equals("/")) {
            return prefix.isEmpty() ? "/" : prefix;
        }
        String p = path.startsWith("/") ? path : "/" + path;
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) + p : prefix + p;
    }
}
