package io.dharma.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.dharma.errors.PathTemplate;

import io.helidon.common.uri.UriPath;
import io.helidon.http.Method;

/**
 * What a request needs, decided from {@code security.public}, {@code security.routes} (first match wins) and
 * {@code security.default-authenticate}. Patterns are matched against the same normalised path Helidon routes with
 * ({@code /a/./b}, {@code /a//b} and {@code /a/x/../b} are {@code /a/b}), and cover the path and every path below it.
 *
 * @param kind  public, optional or required
 * @param roles roles of which one is needed (only for required)
 */
record Access(Kind kind, Set<String> roles) {
    static final Access PUBLIC = new Access(Kind.PUBLIC, Set.of());
    static final Access OPTIONAL = new Access(Kind.OPTIONAL, Set.of());
    static final Access REQUIRED = new Access(Kind.REQUIRED, Set.of());

    enum Kind {
        /** No token needed; a token sent is ignored. */
        PUBLIC,
        /** A token is checked when sent (an invalid one is refused), anonymous otherwise. */
        OPTIONAL,
        /** A valid token is needed. */
        REQUIRED
    }

    /**
     * The compiled rules of one {@link SecurityConfig}.
     */
    static final class Rules {
        private final List<PathTemplate> publicPaths = new ArrayList<>();
        private final List<CompiledRule> routes = new ArrayList<>();
        private final Access fallback;

        Rules(SecurityConfig config) {
            config.publicPaths().forEach(path -> publicPaths.add(PathTemplate.create(path)));
            config.routes().forEach(rule -> routes.add(new CompiledRule(rule, rule.template())));
            this.fallback = config.defaultAuthenticate() ? REQUIRED : OPTIONAL;
        }

        Access resolve(Method method, UriPath path) {
            for (PathTemplate template : publicPaths) {
                if (template.matchesPrefix(path)) {
                    return PUBLIC;
                }
            }
            for (CompiledRule route : routes) {
                RouteRule rule = route.rule();
                if ((rule.methods().isEmpty() || rule.methods().contains(method)) && route.template().matchesPrefix(path)) {
                    if (!rule.authenticate()) {
                        return OPTIONAL;
                    }
                    return rule.roles().isEmpty() ? REQUIRED : new Access(Kind.REQUIRED, rule.roles());
                }
            }
            return fallback;
        }
    }

    private record CompiledRule(RouteRule rule, PathTemplate template) {
    }
}
