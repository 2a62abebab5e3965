package io.dharma.security;

import java.time.Duration;
import java.util.List;

import io.helidon.config.Config;

import static io.dharma.security.ConfigValues.require;

/**
 * Configuration of the {@code security.headers} node: the headers put on every response. An empty value turns a
 * header off.
 *
 * @param enabled                   whether the headers filter adds anything ({@code enabled})
 * @param contentSecurityPolicy     {@code Content-Security-Policy} ({@code content-security-policy})
 * @param cspOverrides              other policies for paths that serve HTML ({@code csp-overrides: [{path, policy}]}),
 *                                  first match wins, patterns cover the path and below
 * @param hsts                      {@code Strict-Transport-Security} ({@code hsts})
 * @param frameOptions              {@code X-Frame-Options} ({@code frame-options})
 * @param referrerPolicy            {@code Referrer-Policy} ({@code referrer-policy})
 * @param permissionsPolicy         {@code Permissions-Policy} ({@code permissions-policy})
 * @param crossOriginOpenerPolicy   {@code Cross-Origin-Opener-Policy} ({@code cross-origin-opener-policy})
 * @param crossOriginResourcePolicy {@code Cross-Origin-Resource-Policy} ({@code cross-origin-resource-policy})
 * @param cacheControl              {@code Cache-Control} of responses whose handler sets none, and of every error
 *                                  ({@code cache-control})
 */
public record HeadersConfig(boolean enabled,
                            String contentSecurityPolicy,
                            List<CspOverride> cspOverrides,
                            Hsts hsts,
                            String frameOptions,
                            String referrerPolicy,
                            String permissionsPolicy,
                            String crossOriginOpenerPolicy,
                            String crossOriginResourcePolicy,
                            String cacheControl) {
    /** Default policy: an API serves no content a browser should render or frame. */
    public static final String DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";
    /** Default {@code Permissions-Policy}: every powerful feature off. */
    public static final String DEFAULT_PERMISSIONS_POLICY = "accelerometer=(), autoplay=(), camera=(), display-capture=(), "
            + "encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
            + "payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), "
            + "xr-spatial-tracking=()";
    /** Default {@code Cache-Control}. */
    public static final String DEFAULT_CACHE_CONTROL = "no-store";

    /**
     * Validates and copies.
     */
    public HeadersConfig {
        cspOverrides = List.copyOf(cspOverrides);
        for (String value : List.of(contentSecurityPolicy, frameOptions, referrerPolicy, permissionsPolicy,
                                    crossOriginOpenerPolicy, crossOriginResourcePolicy, cacheControl)) {
            requireHeaderValue(value);
        }
    }

    /**
     * Defaults for every key.
     *
     * @return default configuration
     */
    public static HeadersConfig create() {
        return create(Config.empty());
    }

    /**
     * Read from the {@code security.headers} node.
     *
     * @param headers the node (may be missing)
     * @return configuration
     */
    public static HeadersConfig create(Config headers) {
        List<CspOverride> overrides = headers.get("csp-overrides").asNodeList().orElse(List.of()).stream()
                .map(node -> new CspOverride(ConfigValues.required(node.get("path")), ConfigValues.required(node.get("policy"))))
                .toList();
        return new HeadersConfig(headers.get("enabled").asBoolean().orElse(true),
                                 text(headers, "content-security-policy", DEFAULT_CSP),
                                 overrides,
                                 Hsts.create(headers.get("hsts")),
                                 text(headers, "frame-options", "DENY"),
                                 text(headers, "referrer-policy", "no-referrer"),
                                 text(headers, "permissions-policy", DEFAULT_PERMISSIONS_POLICY),
                                 text(headers, "cross-origin-opener-policy", "same-origin"),
                                 text(headers, "cross-origin-resource-policy", "same-origin"),
                                 text(headers, "cache-control", DEFAULT_CACHE_CONTROL));
    }

    private static String text(Config node, String key, String defaultValue) {
        return node.get(key).asString().map(String::trim).orElse(defaultValue);
    }

    static void requireHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            require(c >= 0x20 && c < 0x7f, "security.headers: header values must be printable ASCII: " + value);
        }
    }

    /**
     * Another {@code Content-Security-Policy} for the paths that serve HTML.
     *
     * @param path   Helidon path pattern; covers the path and below
     * @param policy the policy
     */
    public record CspOverride(String path, String policy) {
        /**
         * Validates.
         */
        public CspOverride {
            ConfigValues.pathPattern("security.headers.csp-overrides", path);
            requireHeaderValue(policy);
        }
    }

    /**
     * {@code Strict-Transport-Security}: browsers that once reached the service over HTTPS never use plain HTTP again.
     *
     * @param enabled           whether the header is sent ({@code enabled}, default true)
     * @param maxAge            {@code max-age} ({@code max-age}, default one year)
     * @param includeSubdomains {@code includeSubDomains} ({@code include-subdomains}, default true)
     * @param preload           {@code preload} ({@code preload}, default false: it is hard to undo)
     */
    public record Hsts(boolean enabled, Duration maxAge, boolean includeSubdomains, boolean preload) {
        /** Default {@code max-age}: 365 days. */
        public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(31_536_000);

        static Hsts create(Config hsts) {
            return new Hsts(hsts.get("enabled").asBoolean().orElse(true),
                            ConfigValues.duration(hsts.get("max-age"), DEFAULT_MAX_AGE),
                            hsts.get("include-subdomains").asBoolean().orElse(true),
                            hsts.get("preload").asBoolean().orElse(false));
        }

        /**
         * The header value.
         *
         * @return e.g. {@code max-age=31536000; includeSubDomains}
         */
        public String value() {
            return "max-age=" + maxAge.toSeconds() + (includeSubdomains ? "; includeSubDomains" : "")
                    + (preload ? "; preload" : "");
        }
    }
}
