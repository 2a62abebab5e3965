package io.dharma.cache;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.dharma.errors.PathTemplate;

import io.helidon.config.Config;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * HTTP caching headers per route, from {@code cache.http}: {@code Cache-Control} and {@code Vary} on the {@code GET}
 * and {@code HEAD} answers of the routes listed (every other response keeps the security default,
 * {@code no-store}). Together with a strong {@code ETag} and {@code If-None-Match} (answered 304 from the cache,
 * without a database query) clients revalidate cheaply.
 * <p>
 * API answers are per caller (they depend on the bearer token), so shared caches must never keep them: a rule whose
 * {@code cache-control} has {@code public} or {@code s-maxage} is refused at start-up, and {@code Vary} always
 * includes {@code Authorization}.
 * <pre>
 * cache:
 *   http:
 *     - {path: "/api/v1/blueprints/{id}", cache-control: "private, no-cache", vary: [Authorization]}
 * </pre>
 */
public final class HttpCaching implements Filter {
    /** {@code Cache-Control} of a rule that sets none: browsers may keep it, but must revalidate every time. */
    public static final String DEFAULT_CACHE_CONTROL = "private, no-cache";

    private final List<Rule> rules;

    private HttpCaching(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * The filter for the {@code cache.http} node.
     *
     * @param node the {@code cache.http} node (a list; missing: no route gets caching headers)
     * @return filter
     * @throws CacheException if a rule is invalid or would let shared caches keep API answers
     */
    public static HttpCaching create(Config node) {
        return new HttpCaching(node.asNodeList().orElse(List.of()).stream().map(HttpCaching::rule).toList());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Method method = req.prologue().method();
        if (method == Method.GET || method == Method.HEAD) {
            for (Rule rule : rules) {
                if (rule.template().matches(req.prologue().uriPath())) {
                    res.header(rule.cacheControl());
                    res.header(vary(res.headers().first(HeaderNames.VARY), rule));
                    break;
                }
            }
        }
        chain.proceed();
    }

    /**
     * The rule's {@code Vary} together with one an earlier filter set (CORS: {@code Origin}): setting a header replaces
     * it, and a cache told to vary by one of them only would serve one origin's or one caller's answer to another.
     */
    private static Header vary(Optional<String> earlier, Rule rule) {
        if (earlier.isEmpty()) {
            return rule.vary();
        }
        Set<String> names = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        for (String value : List.of(earlier.get(), rule.vary().get())) {
            for (String name : value.split(",")) {
                String trimmed = name.strip();
                if (!trimmed.isEmpty() && seen.add(trimmed.toLowerCase(Locale.ROOT))) {
                    names.add(trimmed);
                }
            }
        }
        return HeaderValues.createCached(HeaderNames.VARY, String.join(", ", names));
    }

    private static Rule rule(Config node) {
        String path = node.get("path").asString()
                .orElseThrow(() -> new CacheConfigException("cache.http: every rule needs a path (" + node.key() + ")"));
        String cacheControl = node.get("cache-control").asString().orElse(DEFAULT_CACHE_CONTROL);
        String lower = cacheControl.toLowerCase(Locale.ROOT);
        if (lower.contains("public") || lower.contains("s-maxage")) {
            throw new CacheConfigException("cache.http rule for " + path + ": API answers depend on the caller's token, so "
                                             + "shared caches must not keep them ('public' and 's-maxage' are refused)");
        }
        Set<String> vary = new LinkedHashSet<>(node.get("vary").asList(String.class).orElse(List.of()));
        vary.add("Authorization");
        return new Rule(PathTemplate.create(path), HeaderValues.createCached(HeaderNames.CACHE_CONTROL, cacheControl),
                        HeaderValues.createCached(HeaderNames.VARY, String.join(", ", vary)));
    }

    /** A route's headers, made once: a header made from text is copied by Helidon on every response. */
    private record Rule(PathTemplate template, Header cacheControl, Header vary) {
    }
}
