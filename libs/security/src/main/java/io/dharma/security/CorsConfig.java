package io.dharma.security;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.helidon.config.Config;

import static io.dharma.security.ConfigValues.require;
import static io.dharma.security.ConfigValues.strings;

/**
 * Configuration of the {@code security.cors} node. CORS is off while {@code allowed-origins} is empty.
 *
 * @param allowedOrigins   origins allowed to call the API from a browser: {@code https://app.example.com},
 *                         {@code https://*.example.com} (any subdomain), or {@code *} (any, without credentials)
 * @param allowedMethods   methods a cross-origin request may use ({@code allowed-methods})
 * @param allowedHeaders   request headers it may send ({@code allowed-headers}), case-insensitive
 * @param exposedHeaders   response headers its script may read ({@code exposed-headers})
 * @param allowCredentials whether cookies and HTTP authentication are allowed ({@code allow-credentials})
 * @param maxAge           how long a browser may cache a preflight answer ({@code max-age})
 */
public record CorsConfig(List<String> allowedOrigins,
                         List<String> allowedMethods,
                         List<String> allowedHeaders,
                         List<String> exposedHeaders,
                         boolean allowCredentials,
                         Duration maxAge) {
    /** Default methods. */
    public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    /** Default request headers. */
    public static final List<String> DEFAULT_ALLOWED_HEADERS = List.of("Authorization", "Content-Type", "Accept",
                                                                       "If-Match", "If-None-Match", "X-Correlation-Id",
                                                                       "X-Request-Id");
    /** Default exposed response headers. */
    public static final List<String> DEFAULT_EXPOSED_HEADERS = List.of("ETag", "Location", "X-Correlation-Id",
                                                                       "Retry-After", "WWW-Authenticate");
    /** Default preflight cache time. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);

    private static final Pattern ORIGIN = Pattern.compile("https?://(\\*\\.)?[a-z0-9.-]+(:\\d{1,5})?");

    /**
     * Validates, normalises origins to lower case and copies.
     */
    public CorsConfig {
        allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
        allowedMethods = allowedMethods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        allowedHeaders = List.copyOf(allowedHeaders);
        exposedHeaders = List.copyOf(exposedHeaders);
        for (String origin : allowedOrigins) {
            require(origin.equals("*") || ORIGIN.matcher(origin).matches(), "security.cors.allowed-origins: '" + origin
                    + "' is not an origin (scheme://host[:port], scheme://*.domain or *)");
        }
        require(!(allowCredentials && allowedOrigins.contains("*")),
                "security.cors: allow-credentials cannot be combined with allowed-origins '*'");
        require(!maxAge.isNegative(), "security.cors.max-age must not be negative");
    }

    /**
     * CORS off.
     *
     * @return configuration without allowed origins
     */
    public static CorsConfig create() {
        return create(Config.empty());
    }

    /**
     * Read from the {@code security.cors} node.
     *
     * @param cors the node (may be missing)
     * @return configuration
     */
    public static CorsConfig create(Config cors) {
        return new CorsConfig(strings(cors.get("allowed-origins"), List.of()),
                              strings(cors.get("allowed-methods"), DEFAULT_METHODS),
                              strings(cors.get("allowed-headers"), DEFAULT_ALLOWED_HEADERS),
                              strings(cors.get("exposed-headers"), DEFAULT_EXPOSED_HEADERS),
                              cors.get("allow-credentials").asBoolean().orElse(false),
                              ConfigValues.duration(cors.get("max-age"), DEFAULT_MAX_AGE));
    }

    /**
     * Whether CORS is on.
     *
     * @return {@code true} if at least one origin is allowed
     */
    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    /**
     * Whether a request's {@code Origin} is allowed. {@code null} (sandboxed documents, file URLs) never is, unless
     * {@code *} is configured.
     *
     * @param origin the {@code Origin} header value
     * @return {@code true} if allowed
     */
    public boolean allows(String origin) {
        String candidate = origin.trim().toLowerCase(Locale.ROOT);
        for (String allowed : allowedOrigins) {
            if (allowed.equals("*") || allowed.equals(candidate) || wildcardMatch(allowed, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean wildcardMatch(String allowed, String candidate) {
        int star = allowed.indexOf("://*.");
        if (star < 0) {
            return false;
        }
        String scheme = allowed.substring(0, star + 3);
        String suffix = allowed.substring(star + 4);          // ".example.com[:port]"
        if (!candidate.startsWith(scheme) || !candidate.endsWith(suffix)) {
            return false;
        }
        String label = candidate.substring(scheme.length(), candidate.length() - suffix.length());
        return !label.isEmpty() && label.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?") && !label.contains("..");
    }
}
