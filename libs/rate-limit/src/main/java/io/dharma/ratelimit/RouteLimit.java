package io.dharma.ratelimit;

import java.util.List;
import java.util.Set;

import io.dharma.errors.PathTemplate;

import io.helidon.http.Method;

/**
 * A route-scoped rule from {@code rate-limit.routes}: the policies that apply on a path (and methods), and the cost
 * in units each request there charges.
 *
 * @param path     path template, e.g. {@code /api/v1/blueprints/{id}/cost} (Helidon path-matcher syntax)
 * @param methods  methods the rule applies to; empty for all
 * @param policies names of the policies applied here
 * @param cost     units charged per request (at least 1)
 */
public record RouteLimit(String path, Set<Method> methods, List<String> policies, long cost) {
    /**
     * Validates and copies.
     */
    public RouteLimit {
        methods = Set.copyOf(methods);
        policies = List.copyOf(policies);
        if (cost < 1) {
            throw new RateLimitConfigException("rate-limit.routes cost must be at least 1 (path " + path + ")");
        }
        if (!path.startsWith("/")) {
            throw new RateLimitConfigException("rate-limit.routes path must start with '/': " + path);
        }
    }

    PathTemplate template() {
        return PathTemplate.create(path);
    }

    boolean appliesTo(Method method) {
        return methods.isEmpty() || methods.contains(method);
    }
}
