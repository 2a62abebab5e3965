package io.dharma.service;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Every (method, template) the API registered, so a request that matched no route gets 405 with {@code Allow} when
 * the path exists for another method, else 404; both as problems.
 */
final class RouteTable implements Handler {
    private final Map<String, Set<String>> methodsByTemplate = new ConcurrentHashMap<>();
    private final Map<String, PathMatcher> matchers = new ConcurrentHashMap<>();

    void add(Method method, String template) {
        methodsByTemplate.computeIfAbsent(template, t -> new TreeSet<>()).add(method.text());
        matchers.computeIfAbsent(template, PathMatchers::create);
    }

    /**
     * The registered routes whose template passes a test, as {@code METHOD /template}.
     *
     * @param templates which templates to include
     * @return sorted, unmodifiable
     */
    SortedSet<String> routes(Predicate<String> templates) {
        SortedSet<String> routes = new TreeSet<>();
        methodsByTemplate.forEach((template, methods) -> {
            if (templates.test(template)) {
                methods.forEach(method -> routes.add(method + " " + template));
            }
        });
        return Collections.unmodifiableSortedSet(routes);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        req.context().register(new RouteTemplate(RouteTemplate.UNMATCHED));
        Set<String> allowed = new TreeSet<>();
        matchers.forEach((template, matcher) -> {
            if (matcher.match(req.path()).accepted()) {
                allowed.addAll(methodsByTemplate.get(template));
            }
        });
        if (allowed.isEmpty()) {
            throw ApiException.notFound("No route for " + req.path().rawPath());
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        throw ApiException.withHeader(ErrorCode.METHOD_NOT_ALLOWED,
                                      req.prologue().method().text() + " is not allowed here; allowed: "
                                              + String.join(", ", allowed),
                                      "Allow", String.join(", ", allowed));
    }
}
