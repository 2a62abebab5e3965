package io.dharma.ratelimit;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dharma.errors.SurvivingHeaders;

import io.helidon.common.context.Context;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;

/**
 * The policies applied to one request (by both filters), kept in the request context; writes the rate-limit headers,
 * and again on an error answer (a {@link SurvivingHeaders} writer: Helidon drops filter headers before the error
 * handler runs).
 */
final class RateLimitHeaders {
    static final HeaderName POLICY = HeaderNames.create("RateLimit-Policy");
    static final HeaderName RATE_LIMIT = HeaderNames.create("RateLimit");
    static final HeaderName LIMIT = HeaderNames.create("RateLimit-Limit");
    static final HeaderName REMAINING = HeaderNames.create("RateLimit-Remaining");
    static final HeaderName RESET = HeaderNames.create("RateLimit-Reset");

    private final HeaderStyle style;
    private final Map<String, PolicyState> states = new LinkedHashMap<>();

    private RateLimitHeaders(HeaderStyle style) {
        this.style = style;
    }

    static RateLimitHeaders of(Context context, HeaderStyle style) {
        return context.get(RateLimitHeaders.class).orElseGet(() -> {
            RateLimitHeaders created = new RateLimitHeaders(style);
            context.register(created);
            SurvivingHeaders.of(context).add(created::write);
            return created;
        });
    }

    synchronized void add(List<PolicyState> applied) {
        applied.forEach(s -> states.put(s.policy(), s));
    }

    synchronized void write(ServerResponse res) {
        if (states.isEmpty() || style == HeaderStyle.OFF) {
            return;
        }
        if (style == HeaderStyle.IETF) {
            StringBuilder policies = new StringBuilder(64);
            StringBuilder limits = new StringBuilder(64);
            for (PolicyState state : states.values()) {
                if (!policies.isEmpty()) {
                    policies.append(", ");
                    limits.append(", ");
                }
                policies.append('"').append(state.policy()).append("\";q=").append(state.quota())
                        .append(";w=").append(state.windowSeconds());
                limits.append('"').append(state.policy()).append("\";r=").append(state.remaining())
                        .append(";t=").append(state.resetSeconds());
            }
            res.header(header(POLICY, policies.toString()));
            res.header(header(RATE_LIMIT, limits.toString()));
        } else {
            PolicyState tightest = states.values().stream()
                    .min(Comparator.comparingLong(PolicyState::remaining)
                                 .thenComparing(Comparator.comparingLong(PolicyState::resetSeconds).reversed()))
                    .orElseThrow();
            res.header(header(POLICY, tightest.quota() + ";w=" + tightest.windowSeconds()));
            res.header(header(LIMIT, Long.toString(tightest.quota())));
            res.header(header(REMAINING, Long.toString(tightest.remaining())));
            res.header(header(RESET, Long.toString(tightest.resetSeconds())));
        }
    }

    /** A header written as it is (one made from text is copied by Helidon once more before writing). */
    private static Header header(HeaderName name, String value) {
        return HeaderValues.createCached(name, true, false, value);
    }
}
