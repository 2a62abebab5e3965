package io.dharma.security;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.http.Filter;

/**
 * Entry point of the security library: three filters and a direct-handler wrapper.
 * <pre>{@code
 * SecurityConfig security = SecurityConfig.create(config.get("security"), serviceName);
 * KeySource keys = KeySource.create(security.jwt(), () -> secrets.get("jwt-signing-key"));
 * routing.addFilter(Logging.correlationFilter())
 *        .addFilter(observationFilter)
 *        .addFilter(Security.headersFilter(security.headers()))
 *        .addFilter(Security.corsFilter(security.cors()))
 *        .addFilter(Security.authenticationFilter(security, keys))
 *        .error(Throwable.class, Errors.errorHandler(errors, translators));
 * server.directHandlers(... Security.directHandler(Errors.directHandler(), security.headers()) ...);
 * }</pre>
 * The filters keep their headers as {@code SurvivingHeaders} (libs/errors), which the error handler puts back:
 * Helidon 4.1.2 drops every header a filter set before it calls the error handler. Direct handlers never see the
 * filters at all, hence the wrapper.
 */
public final class Security {
    private Security() {
    }

    /**
     * Filter putting the security headers on every response ({@code security.headers}); install it right after the
     * correlation and access-log filters, before anything that may answer a request itself.
     *
     * @param config headers configuration
     * @return filter
     */
    public static Filter headersFilter(HeadersConfig config) {
        return config.enabled() ? new HeadersFilter(config) : (chain, req, res) -> chain.proceed();
    }

    /**
     * Filter answering CORS preflights and adding CORS headers ({@code security.cors}); install it after the headers
     * filter and before rate limits and authentication, so preflights need no token and every answer to an allowed
     * origin (401 and 429 included) is readable by its script.
     *
     * @param config CORS configuration
     * @return filter, passing everything through while no origin is allowed
     */
    public static Filter corsFilter(CorsConfig config) {
        return config.enabled() ? new CorsFilter(config) : (chain, req, res) -> chain.proceed();
    }

    /**
     * Filter authenticating bearer tokens and enforcing {@code security.routes} / {@code security.public}; answers
     * 401 MISSING_TOKEN / INVALID_TOKEN / TOKEN_EXPIRED and 403 FORBIDDEN problems with {@code WWW-Authenticate}, and
     * 503 SERVICE_UNAVAILABLE with {@code Retry-After} while the key source knows no keys.
     *
     * @param config security configuration
     * @param keys   verification keys, e.g. {@link KeySource#create(JwtConfig, java.util.function.Supplier)}
     * @return filter
     */
    public static Filter authenticationFilter(SecurityConfig config, KeySource keys) {
        return authenticationFilter(config, keys, InstantSource.system());
    }

    /**
     * Filter authenticating bearer tokens, with a time source for {@code exp} and {@code nbf}.
     *
     * @param config security configuration
     * @param keys   verification keys
     * @param clock  time source
     * @return filter
     */
    public static Filter authenticationFilter(SecurityConfig config, KeySource keys, InstantSource clock) {
        return new AuthenticationFilter(config, keys, clock);
    }

    /**
     * The three filters in pipeline order: headers, CORS, authentication. Other filters (an IP rate limit) may sit
     * between CORS and authentication; then add them one by one instead.
     *
     * @param config security configuration
     * @param keys   verification keys
     * @return filters to add in order
     */
    public static List<Filter> filters(SecurityConfig config, KeySource keys) {
        List<Filter> filters = new ArrayList<>(3);
        filters.add(headersFilter(config.headers()));
        filters.add(corsFilter(config.cors()));
        filters.add(authenticationFilter(config, keys));
        return List.copyOf(filters);
    }

    /**
     * Wrap a direct handler so responses Helidon answers outside routing (malformed requests, bodies over
     * {@code max-payload-size}) carry the security headers too.
     *
     * @param delegate the direct handler that answers, e.g. {@code Errors.directHandler()}
     * @param config   headers configuration
     * @return direct handler to register for every event type
     */
    public static DirectHandler directHandler(DirectHandler delegate, HeadersConfig config) {
        return config.enabled() ? new HeadersDirectHandler(delegate, HeadersFilter.allDefaults(config)) : delegate;
    }
}
