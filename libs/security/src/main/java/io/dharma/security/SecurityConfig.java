package io.dharma.security;

import java.util.List;

import io.helidon.config.Config;

import static io.dharma.security.ConfigValues.require;
import static io.dharma.security.ConfigValues.strings;

/**
 * Configuration of the {@code security} root key.
 * <pre>
 * security:
 *   enabled: true                       # false: authentication off (headers and CORS have their own switches)
 *   realm: blueprint-service            # realm of WWW-Authenticate; default: the service name
 *   public: ["/health", "/metrics", "/openapi"]
 *   default-authenticate: true          # paths no rule matches need a token
 *   routes:
 *     - {path: "/api/v1/blueprints", methods: [POST, PUT, PATCH, DELETE], roles: [editor]}
 *     - {path: "/api/v1/blueprints", methods: [GET], authenticate: false}
 *   jwt: {issuer: ..., audience: ..., clock-skew: PT30S, algorithms: [RS256, ES256, HS256], jwks-url: ...,
 *         roles-claim: roles, token-cache: {max-size: 10000, max-age: PT1M}}   # see JwtConfig for the opt-outs
 *   headers: {...}
 *   cors: {allowed-origins: [...]}
 * </pre>
 *
 * @param enabled             whether the authentication filter checks anything
 * @param realm               the {@code realm} of {@code WWW-Authenticate} challenges
 * @param publicPaths         path patterns that never need a token (each covers the path and below); a token sent to
 *                            them is ignored
 * @param routes              rules, first match wins
 * @param defaultAuthenticate whether a request that no rule and no public path matches needs a token
 * @param jwt                 token checks and keys
 * @param headers             security headers
 * @param cors                CORS
 */
public record SecurityConfig(boolean enabled,
                             String realm,
                             List<String> publicPaths,
                             List<RouteRule> routes,
                             boolean defaultAuthenticate,
                             JwtConfig jwt,
                             HeadersConfig headers,
                             CorsConfig cors) {
    /** Paths that never need a token by default. */
    public static final List<String> DEFAULT_PUBLIC = List.of("/health", "/metrics", "/openapi");
    /** Realm used when none is configured and no service name is given. */
    public static final String DEFAULT_REALM = "api";

    /**
     * Validates and copies.
     */
    public SecurityConfig {
        publicPaths = List.copyOf(publicPaths);
        routes = List.copyOf(routes);
        require(!realm.isBlank() && realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\'),
                "security.realm must be printable ASCII without quotes or backslashes: " + realm);
        publicPaths.forEach(path -> ConfigValues.pathPattern("security.public", path));
    }

    /**
     * Defaults for every key.
     *
     * @return default configuration
     */
    public static SecurityConfig create() {
        return create(Config.empty(), DEFAULT_REALM);
    }

    /**
     * Read from the {@code security} node.
     *
     * @param security     the node (may be missing)
     * @param defaultRealm realm when {@code security.realm} is not set (the service name)
     * @return configuration
     * @throws SecurityConfigException if a value is invalid
     */
    public static SecurityConfig create(Config security, String defaultRealm) {
        return new SecurityConfig(security.get("enabled").asBoolean().orElse(true),
                                  security.get("realm").asString().orElse(defaultRealm),
                                  strings(security.get("public"), DEFAULT_PUBLIC),
                                  security.get("routes").asNodeList().orElse(List.of()).stream().map(RouteRule::create).toList(),
                                  security.get("default-authenticate").asBoolean().orElse(true),
                                  JwtConfig.create(security.get("jwt")),
                                  HeadersConfig.create(security.get("headers")),
                                  CorsConfig.create(security.get("cors")));
    }
}
