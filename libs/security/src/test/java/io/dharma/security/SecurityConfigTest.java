package io.dharma.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.dharma.testing.Tokens;

import io.helidon.common.uri.UriPath;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.Method;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecurityConfigTest {
    @Test
    void readsEveryKey() {
        SecurityConfig config = SecurityConfig.create(Config.just(ConfigSources.classpath("security-full.yaml"))
                                                              .get("security"), "fallback");
        assertThat(config.realm(), is("blueprint-service"));
        assertThat(config.publicPaths(), is(List.of("/health", "/metrics", "/openapi", "/.well-known")));
        assertThat(config.routes().size(), is(3));
        assertThat(config.routes().get(0).roles(), is(Set.of("publisher", "admin")));
        assertThat(config.routes().get(1).methods(), is(Set.of(Method.POST, Method.PUT, Method.DELETE)));
        assertThat(config.routes().get(2).authenticate(), is(false));

        JwtConfig jwt = config.jwt();
        assertThat(jwt.issuers(), is(List.of("https://login.example.com")));
        assertThat(jwt.audiences(), is(List.of("blueprint-api", "platform")));
        assertThat(jwt.clockSkew(), is(Duration.ofSeconds(45)));
        assertThat(jwt.algorithms(), is(Set.of("RS256", "ES256")));
        assertThat(jwt.jwksUrl().orElseThrow(), is(URI.create("https://login.example.com/.well-known/jwks.json")));
        assertThat(jwt.jwksRefresh(), is(Duration.ofMinutes(5)));
        assertThat(jwt.jwksMinRefetch(), is(Duration.ofMinutes(1)));
        assertThat(jwt.jwksTimeout(), is(Duration.ofSeconds(1)));

        HeadersConfig headers = config.headers();
        assertThat(headers.contentSecurityPolicy(), is("default-src 'none'"));
        assertThat(headers.cspOverrides().getFirst().policy(), is("default-src 'self'"));
        assertThat(headers.hsts().value(), is("max-age=63072000; includeSubDomains; preload"));
        assertThat(headers.referrerPolicy(), is(""));
        assertThat(headers.cacheControl(), is("no-store, max-age=0"));
        assertThat(headers.frameOptions(), is("DENY"));

        CorsConfig cors = config.cors();
        assertThat(cors.allowedOrigins(), is(List.of("https://app.example.com")));
        assertThat(cors.allowedMethods(), is(List.of("GET", "POST")));
        assertThat(cors.allowCredentials(), is(true));
        assertThat(cors.maxAge(), is(Duration.ofMinutes(30)));
    }

    @Test
    void defaults() {
        SecurityConfig config = SecurityConfig.create(Config.empty(), "blueprint-service");
        assertThat(config.enabled(), is(true));
        assertThat(config.realm(), is("blueprint-service"));
        assertThat(config.publicPaths(), is(SecurityConfig.DEFAULT_PUBLIC));
        assertThat(config.defaultAuthenticate(), is(true));
        assertThat(config.jwt().clockSkew(), is(Duration.ofSeconds(30)));
        assertThat(config.jwt().algorithms(), is(Set.of("RS256", "ES256", "HS256")));
        assertThat(config.jwt().jwksRefresh(), is(Duration.ofMinutes(10)));
        assertThat(config.jwt().jwksMinRefetch(), is(Duration.ofSeconds(30)));
        assertThat(config.headers().hsts().value(), is("max-age=31536000; includeSubDomains"));
        assertThat(config.headers().contentSecurityPolicy(), is("default-src 'none'; frame-ancestors 'none'"));
        assertThat(config.cors().enabled(), is(false));
    }

    @Test
    void firstMatchingRuleWinsAndCoversPathsBelow() {
        Access.Rules rules = new Access.Rules(SecurityConfig.create(Config.just(ConfigSources.classpath("security-full.yaml"))
                                                                            .get("security"), "x"));
        assertThat(rules.resolve(Method.POST, UriPath.create("/api/v1/blueprints/7/publish")).roles(),
                   is(Set.of("publisher", "admin")));
        assertThat(rules.resolve(Method.POST, UriPath.create("/api/v1/blueprints")), is(Access.REQUIRED));
        assertThat(rules.resolve(Method.DELETE, UriPath.create("/api/v1/blueprints/7")), is(Access.REQUIRED));
        assertThat(rules.resolve(Method.GET, UriPath.create("/api/v1/blueprints/7")), is(Access.OPTIONAL));
        assertThat(rules.resolve(Method.PATCH, UriPath.create("/api/v1/blueprints/7")), is(Access.REQUIRED));
        assertThat(rules.resolve(Method.GET, UriPath.create("/health/live")), is(Access.PUBLIC));
        assertThat(rules.resolve(Method.GET, UriPath.create("/healthz")), is(Access.REQUIRED));
        assertThat(rules.resolve(Method.GET, UriPath.create("/api/v1/other")), is(Access.REQUIRED));
    }

    @Test
    void defaultAuthenticateOffMakesUnmatchedPathsOptional() {
        Access.Rules rules = new Access.Rules(SecurityConfig.create(
                Fixtures.config(Map.of("default-authenticate", "false")).get(""), "x"));
        assertThat(rules.resolve(Method.GET, UriPath.create("/api/anything")), is(Access.OPTIONAL));
    }

    @Test
    void refusesUnsafeOrBrokenValues() {
        assertRefused(Map.of("jwt.algorithms", "none"), "unsupported algorithm 'none'");
        assertRefused(Map.of("jwt.algorithms.0", "HS256", "jwt.algorithms.1", "RS1"), "unsupported algorithm 'RS1'");
        assertRefused(Map.of("jwt.hmac-secret", "short"), "at least 32 bytes");
        assertRefused(Map.of("jwt.public-keys.0.kid", "k", "jwt.public-keys.0.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n"
                + "-----END PUBLIC KEY-----"), "key 'k' is unusable");
        assertRefused(Map.of("jwt.public-keys.0.kid", "k", "jwt.public-keys.0.pem", "not pem"), "Not a PEM block");
        assertRefused(Map.of("cors.allowed-origins.0", "*", "cors.allow-credentials", "true"), "allow-credentials");
        assertRefused(Map.of("cors.allowed-origins.0", "app.example.com"), "is not an origin");
        assertRefused(Map.of("routes.0.path", "/x", "routes.0.authenticate", "false", "routes.0.roles.0", "admin"),
                      "must authenticate");
        assertRefused(Map.of("routes.0.path", "x"), "must start with '/'");
        assertRefused(Map.of("realm", "a\"b"), "security.realm");
        assertRefused(Map.of("headers.content-security-policy", "a\nb"), "printable ASCII");
        assertRefused(Map.of("jwt.clock-skew", "-PT1S"), "must not be negative");
        assertRefused(Map.of("routes.0.methods", "GET"), "routes.0.path is required");
        assertRefused(Map.of("headers.csp-overrides.0.path", "/docs"), "headers.csp-overrides.0.policy is required");
        assertRefused(Map.of("routes.0.path", "/a/{id"), "security.routes: '/a/{id' is not a valid path pattern");
        assertRefused(Map.of("jwt.jwks-url", "https://login example.com/jwks"), "security.jwt.jwks-url is not a URL");
    }

    @Test
    void inlineSecretIsNeverPrinted() {
        String secret = Tokens.randomSecret();
        JwtConfig jwt = JwtConfig.create(Fixtures.config(Map.of("hmac-secret", secret)).get(""));
        assertThat(jwt.hmacSecret().orElseThrow(), is(secret));
        assertThat(jwt.toString(), not(containsString(secret)));
    }

    private static void assertRefused(Map<String, String> values, String message) {
        SecurityConfigException e = assertThrows(SecurityConfigException.class,
                                         () -> SecurityConfig.create(Fixtures.config(values).get(""), "x"));
        assertThat(e.getMessage(), containsString(message));
    }
}
