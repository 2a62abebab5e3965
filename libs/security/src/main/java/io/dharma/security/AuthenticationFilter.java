package io.dharma.security;

import java.time.InstantSource;
import java.util.List;
import java.util.Locale;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.errors.Problems;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Authenticates bearer tokens (RFC 6750) and enforces {@link Access}: answers 401 / 403 problems with a
 * {@code WWW-Authenticate} challenge, and 503 with {@code Retry-After} while the keys are unavailable, itself (an
 * exception thrown from a filter is not reliably routed to the error handler in Helidon 4.1.2), otherwise registers the
 * {@link Principal} in the request context and the subject in the MDC ({@value Principal#MDC_KEY}: its
 * {@link Principal#id() id}) for the rest of the request.
 */
final class AuthenticationFilter implements Filter {
    private static final String MDC_KEY = Principal.MDC_KEY;

    private static final Logger LOGGER = LoggerFactory.getLogger(AuthenticationFilter.class);
    private static final String KEYS_UNAVAILABLE = "Bearer tokens cannot be checked right now: the keys that verify them "
            + "are unavailable";
    private static final String BEARER = "bearer";
    // RFC 6750 §2.1 b64token

    private final SecurityConfig config;
    private final Access.Rules rules;
    private final TokenVerifier verifier;
    private final @Nullable Header cacheControl;

    AuthenticationFilter(SecurityConfig config, KeySource keys, InstantSource clock) {
        this.config = config;
        this.cacheControl = config.headers().cacheControl().isEmpty() ? null
                : HeaderValues.createCached(HeaderNames.CACHE_CONTROL, config.headers().cacheControl());
        this.rules = new Access.Rules(config);
        this.verifier = new TokenVerifier(config.jwt(), keys, clock);
        if (!config.enabled()) {
            LOGGER.warn("Authentication is off (security.enabled: false): every route is open");
        } else if (config.jwt().issuers().isEmpty() || config.jwt().audiences().isEmpty()) {
            // with public keys or a JWKS this needs an explicit allow-any-issuer / allow-any-audience (JwtConfig)
            LOGGER.warn("security.jwt.issuer or security.jwt.audience is not set: any token signed by a configured key is "
                                + "accepted, whoever it was issued by or for");
        }
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!config.enabled()) {
            chain.proceed();
            return;
        }
        Access access = rules.resolve(req.prologue().method(), req.prologue().uriPath());
        if (access.kind() == Access.Kind.PUBLIC) {
            chain.proceed();
            return;
        }
        Credentials credentials = credentials(req.headers().all(HeaderNames.AUTHORIZATION, List::of));
        if (credentials instanceof Credentials.None) {
            if (access.kind() == Access.Kind.REQUIRED) {
                reject(req, res, ErrorCode.MISSING_TOKEN, "no bearer token");
                return;
            }
            chain.proceed();
            return;
        }
        if (credentials instanceof Credentials.Malformed malformed) {
            reject(req, res, ErrorCode.INVALID_TOKEN, malformed.reason());
            return;
        }
        Verification verification = verifier.verify(((Credentials.Bearer) credentials).token());
        if (verification instanceof Verification.Rejected rejected) {
            reject(req, res, rejected.code(), rejected.reason());
            return;
        }
        if (verification instanceof Verification.Unavailable unavailable) {
            LOGGER.debug("{} {} -> {}: {}", req.prologue().method().text(), req.path().rawPath(), ErrorCode.SERVICE_UNAVAILABLE,
                         unavailable.reason());
            send(req, res, ApiException.unavailable(KEYS_UNAVAILABLE, unavailable.retryAfter()));
            return;
        }
        Principal principal = ((Verification.Verified) verification).principal();
        if (!principal.hasAnyRole(access.roles())) {
            LOGGER.debug("403 for {}: has roles {}, needs one of {}", principal.id(), principal.roles(), access.roles());
            reject(req, res, ErrorCode.FORBIDDEN, "missing role");
            return;
        }
        principal.register(req.context());
        if (cacheControl != null) {
            // a response for one caller must not be stored by shared caches; a handler may still set its own
            res.header(cacheControl);
        }
        MDC.put(MDC_KEY, principal.id());
        try {
            chain.proceed();
        } finally {
            // requests on one keep-alive connection share a virtual thread: the subject must not leak into the next
            MDC.remove(MDC_KEY);
        }
    }

    private void reject(RoutingRequest req, RoutingResponse res, ErrorCode code, String reason) {
        LOGGER.debug("{} {} -> {}: {}", req.prologue().method().text(), req.path().rawPath(), code, reason);
        send(req, res, ApiException.withHeader(code, Challenge.detail(code), "WWW-Authenticate",
                                               Challenge.header(config.realm(), code)));
    }

    private void send(RoutingRequest req, RoutingResponse res, ApiException problem) {
        if (cacheControl != null) {
            res.header(cacheControl);
        }
        Problems.send(req, res, problem);
    }

    static Credentials credentials(List<String> authorization) {
        if (authorization.isEmpty()) {
            return Credentials.NONE;
        }
        if (authorization.size() > 1) {
            return new Credentials.Malformed("more than one Authorization header");
        }
        String value = authorization.getFirst().trim();
        int space = value.indexOf(' ');
        String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
        if (!scheme.equals(BEARER)) {
            // another scheme (Basic, Digest): no bearer credentials were sent
            return Credentials.NONE;
        }
        String token = space < 0 ? "" : value.substring(space + 1).trim();
        if (!isB64Token(token)) {
            return new Credentials.Malformed("the bearer token is empty or not a b64token");
        }
        return new Credentials.Bearer(token);
    }

    /** RFC 6750's b64token: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    static boolean isB64Token(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** What the Authorization header carries. */
    sealed interface Credentials {
        Credentials NONE = new None();

        /** No bearer credentials. */
        record None() implements Credentials {
        }

        /** Bearer scheme, unusable value. */
        record Malformed(String reason) implements Credentials {
        }

        /** A bearer token to verify. */
        record Bearer(String token) implements Credentials {
            @Override
            public String toString() {
                return "Bearer[***]";
            }
        }
    }
}
