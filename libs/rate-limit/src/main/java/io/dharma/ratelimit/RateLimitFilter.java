package io.dharma.ratelimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.errors.PathTemplate;
import io.dharma.errors.Problems;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

/**
 * One stage of rate limiting; together the two stages decide a request in one limiter call (one Redis round trip).
 * The IP stage (before authentication) works out the global policies that need no principal, at cost 1, answers 429
 * at once if the limiter already knows they are exhausted (no round trip), and otherwise leaves them pending in the
 * request context. The user stage (after authentication) adds the global policies keyed by user or tier
 * (authenticated requests only) and the route policies of every matching {@code rate-limit.routes} rule (anonymous
 * callers keyed by IP, at tier FREE), each at the matched rules' cost, and decides all of them at once. A request that
 * never reaches the user stage (authentication refused it) is charged its IP policies after its response, so a flood
 * of bad tokens exhausts the IP bucket and is then refused before authentication. Rejections are answered here
 * ({@code Problems.send}), never thrown.
 */
final class RateLimitFilter implements Filter {
    private static final String LOOPBACK = "127.0.0.1";

    // configuration
    private final boolean userStage;
    private final RateLimitConfig config;
    private final List<Policy> globals;
    private final List<MatchedRoute> routes;
    private final ClientIp clientIp;
    private final Function<ServerRequest, Optional<Caller>> callers;
    // runtime
    private final RateLimiter limiter;
    private final RateLimitMetrics metrics;

    RateLimitFilter(boolean userStage, RateLimitConfig config, RateLimiter limiter, RateLimitMetrics metrics,
                    Function<ServerRequest, Optional<Caller>> callers) {
        this.userStage = userStage;
        this.callers = callers;
        this.config = config;
        this.limiter = limiter;
        this.metrics = metrics;
        this.clientIp = new ClientIp(config.trustedProxies(), config.clientAddressHeader());
        this.globals = config.policies().stream()
                .filter(Policy::global)
                .filter(p -> p.needsPrincipal() == userStage)
                .toList();
        this.routes = userStage
                ? config.routes().stream().map(r -> new MatchedRoute(r, r.template())).toList()
                : List.of();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        List<Charge> own = charges(req);
        if (userStage) {
            List<Charge> charges = new ArrayList<>(own);
            req.context().get(Pending.class).flatMap(Pending::take).ifPresent(ip -> charges.addAll(0, ip));
            if (charges.isEmpty() || answer(req, res, decide(charges))) {
                chain.proceed();
            }
            return;
        }
        if (own.isEmpty()) {
            chain.proceed();
            return;
        }
        Optional<Decision> known = limiter.knownDenial(own);
        if (known.isPresent()) {
            metrics.record(known.get(), Duration.ZERO);
            answer(req, res, known.get());
            return;
        }
        Pending pending = new Pending(own);
        req.context().register(pending);
        try {
            chain.proceed();
        } finally {
            // authentication (or an earlier filter) answered without reaching the user stage
            pending.take().ifPresent(this::decide);
        }
    }

    private Decision decide(List<Charge> charges) {
        long start = System.nanoTime();
        Decision decision = limiter.acquire(charges);
        metrics.record(decision, Duration.ofNanos(System.nanoTime() - start));
        return decision;
    }

    /** Writes the headers and, unless the request is admitted, the problem; true when the chain should go on. */
    private boolean answer(RoutingRequest req, RoutingResponse res, Decision decision) {
        RateLimitHeaders headers = RateLimitHeaders.of(req.context(), config.headers());
        headers.add(decision.states());
        headers.write(res);
        switch (decision.outcome()) {
        case ALLOWED -> {
            return true;
        }
        case DENIED -> {
            String policy = decision.violated().orElse("unknown");
            String seconds = seconds(decision.retryAfter());
            Problems.send(req, res, ApiException.of(
                    ErrorCode.RATE_LIMIT_EXCEEDED,
                    "Rate limit '" + policy + "' exceeded; retry after " + seconds + " s",
                    Map.of("Retry-After", seconds),
                    Map.of("retryAfter", Long.parseLong(seconds), "policy", policy)));
            return false;
        }
        case UNAVAILABLE -> {
            Problems.send(req, res, ApiException.unavailable(
                    "Rate limit '" + decision.violated().orElse("unknown") + "' cannot be checked right now",
                    decision.retryAfter()));
            return false;
        }
        default -> throw new IllegalStateException("Unknown outcome " + decision.outcome());
        }
    }

    List<Charge> charges(ServerRequest req) {
        if (!config.enabled() || config.exempt(req.prologue().uriPath().path())) {
            return List.of();
        }
        List<Charge> charges = new ArrayList<>();
        Optional<Caller> caller = userStage ? callers.apply(req) : Optional.empty();
        String ip = null;
        String route = req.path().path();
        long cost = 1;
        Map<String, Long> routePolicies = new LinkedHashMap<>();
        for (MatchedRoute matched : routes) {
            if (matched.route().appliesTo(req.prologue().method()) && matched.template().matches(req.path())) {
                route = matched.route().path();
                cost = Math.max(cost, matched.route().cost());
                for (String name : matched.route().policies()) {
                    routePolicies.merge(name, matched.route().cost(), Math::max);
                }
            }
        }
        for (Policy policy : globals) {
            if (policy.needsPrincipal() && caller.isEmpty()) {
                continue;
            }
            if (ip == null && policy.key().contains(KeyPart.IP)) {
                ip = ip(req);
            }
            charges.add(charge(policy, caller, ip, route, cost, req));
        }
        for (Map.Entry<String, Long> entry : routePolicies.entrySet()) {
            Policy policy = config.policy(entry.getKey()).orElseThrow();
            if (!policy.global()) {
                charges.add(charge(policy, caller, ip, route, entry.getValue(), req));
            }
        }
        return charges;
    }

    private Charge charge(Policy policy, Optional<Caller> caller, String knownIp, String route, long cost,
                         ServerRequest req) {
        String ip = knownIp;
        StringBuilder material = new StringBuilder(64);
        for (KeyPart part : policy.key()) {
            material.append(part.name()).append('=');
            switch (part) {
            case IP -> material.append(ip == null ? (ip = ip(req)) : ip);
            case USER -> {
                if (caller.isPresent()) {
                    // the identity (issuer-qualified when several issuers are trusted), length-prefixed: a subject
                    // holding '|' or '=' cannot spell another user's key
                    String id = caller.get().id();
                    material.append("sub:").append(id.length()).append(':').append(id);
                } else {
                    material.append("ip:").append(ip == null ? (ip = ip(req)) : ip);
                }
            }
            case TIER -> material.append(caller.map(Caller::tier).orElse(Caller.DEFAULT_TIER));
            case ROUTE -> material.append(route);
            default -> throw new IllegalStateException("Unknown key part " + part);
            }
            material.append('|');
        }
        long capacity = policy.capacity(caller.map(Caller::tier).orElse(Caller.DEFAULT_TIER));
        return Charge.hashed(policy, material.toString(), capacity, Math.min(cost, capacity));
    }

    private String ip(ServerRequest req) {
        SocketAddress peer = req.remotePeer().address();
        InetAddress address;
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            address = inet.getAddress();
        } else {
            address = Addresses.parse(LOOPBACK).orElseThrow();
        }
        InetAddress client = clientIp.resolve(address, req.headers().all(clientIp.header().headerName(), List::of));
        return Addresses.key(client, config.ipv6Prefix());
    }

    private static String seconds(Duration duration) {
        return Long.toString(Math.max(1, (duration.toMillis() + 999) / 1000));
    }

    private record MatchedRoute(RouteLimit route, PathTemplate template) {
    }

    /** The IP stage's charges, waiting in the request context for whichever comes first: the user stage or the end. */
    private static final class Pending {
        private final AtomicReference<List<Charge>> charges;

        Pending(List<Charge> charges) {
            this.charges = new AtomicReference<>(charges);
        }

        Optional<List<Charge>> take() {
            return Optional.ofNullable(charges.getAndSet(null));
        }
    }
}
