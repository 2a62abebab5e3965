package io.dharma.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.dharma.errors.PathTemplate;

import io.helidon.config.Config;
import io.helidon.http.Method;

import static io.dharma.security.ConfigValues.require;
import static io.dharma.security.ConfigValues.strings;

/**
 * One entry of {@code security.routes}: which requests it covers and what they need.
 * <p>
 * {@code path} is a Helidon path pattern ({@code /api/v1/blueprints}, {@code /api/v1/blueprints/{id}},
 * {@code /api/*}) that covers the path itself and every path below it, like {@code routing.register(path, service)}:
 * a rule for {@code /api/v1/blueprints} also protects {@code /api/v1/blueprints/42}. List specific rules first: the
 * first matching rule wins.
 *
 * @param path         path pattern
 * @param methods      methods covered; empty covers every method
 * @param authenticate whether a valid token is required; {@code false} still checks a token that is sent
 * @param roles        roles of which the principal needs at least one; not empty implies {@code authenticate}
 */
public record RouteRule(String path, Set<Method> methods, boolean authenticate, Set<String> roles) {
    /**
     * Validates and copies.
     */
    public RouteRule {
        ConfigValues.pathPattern("security.routes", path);
        methods = Set.copyOf(methods);
        roles = Set.copyOf(roles);
        require(authenticate || roles.isEmpty(), "security.routes: " + path + " lists roles, so it must authenticate");
    }

    /**
     * A rule requiring a token and, if given, one of the roles.
     *
     * @param path    path pattern
     * @param methods methods covered, empty for all
     * @param roles   roles of which one is needed, empty for any authenticated caller
     * @return rule
     */
    public static RouteRule authenticated(String path, Set<Method> methods, Set<String> roles) {
        return new RouteRule(path, methods, true, roles);
    }

    /**
     * A rule where the token is optional (checked when sent).
     *
     * @param path    path pattern
     * @param methods methods covered, empty for all
     * @return rule
     */
    public static RouteRule optional(String path, Set<Method> methods) {
        return new RouteRule(path, methods, false, Set.of());
    }

    /**
     * Read one list entry.
     *
     * @param rule the node, e.g. {@code security.routes.0}
     * @return rule
     */
    public static RouteRule create(Config rule) {
        String path = ConfigValues.required(rule.get("path"));
        Set<Method> methods = new LinkedHashSet<>();
        strings(rule.get("methods"), List.of()).forEach(m -> methods.add(Method.create(m.toUpperCase(Locale.ROOT))));
        Set<String> roles = new LinkedHashSet<>(strings(rule.get("roles"), List.of()));
        return new RouteRule(path, methods, rule.get("authenticate").asBoolean().orElse(true), roles);
    }

    PathTemplate template() {
        return PathTemplate.create(path);
    }
}
