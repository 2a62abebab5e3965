package io.dharma.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.dharma.errors.PathPrefix;

import io.helidon.config.Config;
import io.helidon.http.Method;

/**
 * The {@code rate-limit} node, read and validated once.
 * <pre>
 * rate-limit:
 *   enabled: true                  # false: the filters pass everything through
 *   headers: ietf                  # ietf | draft6 | off
 *   trusted-proxies: [10.0.0.0/8]  # peers whose client-address header is believed
 *   client-address-header: X-Forwarded-For  # or Forwarded: the one header read (the other kind is ignored)
 *   ipv6-prefix: 64                # IPv6 clients are keyed by this prefix
 *   exempt: ["/openapi"]          # path prefixes (whole segments) never limited; probes and metrics are on the
 *                                 # management port, which is never limited
 *   denial-cache-size: 10000       # keys remembered as "denied until T" (no Redis call until then)
 *   redis:
 *     url: redis://127.0.0.1:6379  # absent: in-process only (unless a client is handed over)
 *     timeout: PT0.025S            # decide within this, then fail open / closed
 *     key-prefix: "rl:"
 *     ttl-jitter: PT1S             # random extra TTL so expiries spread out
 *     probe-backoff: PT0.1S        # first retry of Redis after a failure, doubling ...
 *     max-probe-backoff: PT5S      # ... up to this
 *   policies:
 *     ip: {key: ip, capacity: 100, period: PT15M}
 *     user: {key: user, capacity: 100, period: PT1H, per-tier: {basic: 1000, professional: 5000, enterprise: 10000}}
 *     expensive: {key: user, capacity: 10, period: PT1H, scope: route, failure: open}
 *   routes:
 *     - {path: "/api/v1/blueprints/{id}/cost", methods: [GET], policies: [expensive], cost: 1}
 * </pre>
 *
 * @param enabled          whether rate limiting is on
 * @param redisUrl         Redis URL; empty for in-process limits
 * @param redisTimeout     how long a decision may wait for Redis
 * @param keyPrefix        prefix of every Redis key
 * @param ttlJitter        largest random extra TTL on Redis keys
 * @param probeBackoff     first wait before Redis is tried again after a failure
 * @param maxProbeBackoff  longest wait between tries
 * @param denialCacheSize  how many denied keys are remembered locally
 * @param policies         the policies (from config: in the order Helidon lists the node, by name)
 * @param trustedProxies   CIDR ranges of trusted proxies
 * @param clientAddressHeader the one header trusted proxies report the client address in
 * @param ipv6Prefix       prefix length IPv6 clients are keyed by (1–128)
 * @param headers          response header style
 * @param routes           route-scoped rules
 * @param exempt           path prefixes (whole segments) never limited (the OpenAPI document by default)
 */
public record RateLimitConfig(boolean enabled,
                              Optional<String> redisUrl,
                              Duration redisTimeout,
                              String keyPrefix,
                              Duration ttlJitter,
                              Duration probeBackoff,
                              Duration maxProbeBackoff,
                              int denialCacheSize,
                              List<Policy> policies,
                              List<String> trustedProxies,
                              ClientAddressHeader clientAddressHeader,
                              int ipv6Prefix,
                              HeaderStyle headers,
                              List<RouteLimit> routes,
                              List<String> exempt) {
    /** Default Redis timeout: 25 ms. */
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(25);
    /** Default Redis key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "rl:";
    /** Default largest TTL jitter: 1 s. */
    public static final Duration DEFAULT_TTL_JITTER = Duration.ofSeconds(1);
    /** Default first probe backoff: 100 ms. */
    public static final Duration DEFAULT_PROBE_BACKOFF = Duration.ofMillis(100);
    /** Default longest probe backoff: 5 s. */
    public static final Duration DEFAULT_MAX_PROBE_BACKOFF = Duration.ofSeconds(5);
    /** Default size of the local denial cache. */
    public static final int DEFAULT_DENIAL_CACHE_SIZE = 10_000;
    /** Paths never limited by default: probes and metrics scrapes must not be throttled. */
    public static final List<String> DEFAULT_EXEMPT = List.of("/openapi");
    /** Default header trusted proxies report the client address in. */
    public static final ClientAddressHeader DEFAULT_CLIENT_ADDRESS_HEADER = ClientAddressHeader.X_FORWARDED_FOR;
    /** Default IPv6 prefix length. */
    public static final int DEFAULT_IPV6_PREFIX = 64;
    /** The platform defaults, used when {@code rate-limit.policies} is absent. */
    public static final List<Policy> DEFAULT_POLICIES = List.of(
            new Policy("ip", List.of(KeyPart.IP), 100, Duration.ofMinutes(15), Map.of(), FailureMode.OPEN, true),
            new Policy("user", List.of(KeyPart.USER), 100, Duration.ofHours(1),
                       Map.of("FREE", 100L, "BASIC", 1_000L, "PROFESSIONAL", 5_000L, "ENTERPRISE", 10_000L),
                       FailureMode.OPEN, true),
            new Policy("expensive", List.of(KeyPart.USER), 10, Duration.ofHours(1), Map.of(), FailureMode.OPEN, false));

    /**
     * Validates and copies.
     */
    public RateLimitConfig {
        policies = List.copyOf(policies);
        trustedProxies = List.copyOf(trustedProxies);
        routes = List.copyOf(routes);
        exempt = List.copyOf(exempt);
        positive(redisTimeout, "redis.timeout");
        positive(probeBackoff, "redis.probe-backoff");
        if (maxProbeBackoff.compareTo(probeBackoff) < 0) {
            throw new RateLimitConfigException("rate-limit.redis.max-probe-backoff must not be below redis.probe-backoff");
        }
        if (ttlJitter.isNegative()) {
            throw new RateLimitConfigException("rate-limit.redis.ttl-jitter must not be negative");
        }
        if (ipv6Prefix < 1 || ipv6Prefix > 128) {
            throw new RateLimitConfigException("rate-limit.ipv6-prefix must be between 1 and 128");
        }
        if (denialCacheSize < 0) {
            throw new RateLimitConfigException("rate-limit.denial-cache-size must not be negative");
        }
        Set<String> names = new HashSet<>();
        for (Policy policy : policies) {
            if (!names.add(policy.name())) {
                throw new RateLimitConfigException("Duplicate rate-limit policy '" + policy.name() + "'");
            }
        }
        for (RouteLimit route : routes) {
            for (String name : route.policies()) {
                Policy policy = policies.stream().filter(p -> p.name().equals(name)).findFirst()
                        .orElseThrow(() -> new RateLimitConfigException("rate-limit.routes " + route.path()
                                                                          + " names unknown policy '" + name + "'"));
                if (route.cost() > policy.minCapacity()) {
                    throw new RateLimitConfigException("rate-limit.routes " + route.path() + " costs " + route.cost()
                                                         + ", more than policy '" + name + "' can ever admit");
                }
            }
        }
        trustedProxies.forEach(Cidr::parse);
    }

    /**
     * Read the {@code rate-limit} node.
     *
     * @param node the {@code rate-limit} node (may be missing: everything defaults)
     * @return configuration
     */
    public static RateLimitConfig create(Config node) {
        Config redis = node.get("redis");
        List<RouteLimit> routes = node.get("routes").asNodeList().orElse(List.of()).stream()
                .map(RateLimitConfig::route)
                .toList();
        Set<String> routePolicies = new HashSet<>();
        routes.forEach(r -> routePolicies.addAll(r.policies()));
        Config policiesNode = node.get("policies");
        List<Policy> policies = policiesNode.exists()
                ? policiesNode.asNodeList().orElse(List.of()).stream().map(p -> policy(p, routePolicies)).toList()
                : DEFAULT_POLICIES;
        return new RateLimitConfig(node.get("enabled").asBoolean().orElse(true),
                                   redis.get("url").asString().asOptional().filter(s -> !s.isBlank()),
                                   duration(redis, "timeout", DEFAULT_REDIS_TIMEOUT),
                                   redis.get("key-prefix").asString().orElse(DEFAULT_KEY_PREFIX),
                                   duration(redis, "ttl-jitter", DEFAULT_TTL_JITTER),
                                   duration(redis, "probe-backoff", DEFAULT_PROBE_BACKOFF),
                                   duration(redis, "max-probe-backoff", DEFAULT_MAX_PROBE_BACKOFF),
                                   node.get("denial-cache-size").asInt().orElse(DEFAULT_DENIAL_CACHE_SIZE),
                                   policies,
                                   strings(node.get("trusted-proxies")),
                                   node.get("client-address-header").asString().map(ClientAddressHeader::parse)
                                           .orElse(DEFAULT_CLIENT_ADDRESS_HEADER),
                                   node.get("ipv6-prefix").asInt().orElse(DEFAULT_IPV6_PREFIX),
                                   enumValue(HeaderStyle.class, node.get("headers").asString().orElse("ietf"), "headers"),
                                   routes,
                                   node.get("exempt").asList(String.class).orElse(DEFAULT_EXEMPT));
    }

    /**
     * This configuration, with a Redis URL to use when {@code rate-limit.redis.url} is not set (the service's
     * {@code redis.url}): the limiter then builds its own client to it, with {@code rate-limit.redis.timeout}.
     *
     * @param url fallback URL
     * @return configuration with a Redis URL if either has one
     */
    public RateLimitConfig orRedisUrl(Optional<String> url) {
        if (redisUrl.isPresent() || url.isEmpty()) {
            return this;
        }
        return new RateLimitConfig(enabled, url, redisTimeout, keyPrefix, ttlJitter, probeBackoff, maxProbeBackoff,
                                   denialCacheSize, policies, trustedProxies, clientAddressHeader, ipv6Prefix, headers, routes,
                                   exempt);
    }

    /**
     * Whether a path is never limited.
     *
     * @param path request path
     * @return true for exempt paths
     */
    public boolean exempt(String path) {
        // whole segments only: /metrics exempts /metrics/x, never /metrics-x
        for (String prefix : exempt) {
            if (new PathPrefix(prefix).matches(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A policy by name.
     *
     * @param name policy name
     * @return the policy, empty if none has this name
     */
    public Optional<Policy> policy(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The tier names the policies give capacities to ({@code per-tier} keys, upper case), for the service to check
     * against the tiers its tokens can carry.
     *
     * @return tier names
     */
    public Set<String> tiers() {
        Set<String> tiers = new HashSet<>();
        policies.forEach(p -> tiers.addAll(p.perTier().keySet()));
        return tiers;
    }

    private static Policy policy(Config node, Set<String> routePolicies) {
        String name = node.name();
        List<KeyPart> key = new ArrayList<>(new LinkedHashSet<>(
                strings(node.get("key")).stream()
                        .flatMap(k -> Arrays.stream(k.split("[+,]")))
                        .filter(k -> !k.isBlank())
                        .map(KeyPart::parse)
                        .toList()));
        if (key.isEmpty()) {
            throw new RateLimitConfigException("rate-limit.policies." + name + ".key is required (ip, user, tier, route)");
        }
        Map<String, Long> perTier = new HashMap<>();
        for (Config tier : node.get("per-tier").asNodeList().orElse(List.of())) {
            perTier.put(tier.name().trim().toUpperCase(Locale.ROOT).replace('-', '_'), tier.asLong().get());
        }
        long capacity = node.get("capacity").asLong().orElseGet(() -> perTier.getOrDefault(Caller.DEFAULT_TIER, 0L));
        String scope = node.get("scope").asString().orElse(routePolicies.contains(name) ? "route" : "global");
        if (!scope.equals("route") && !scope.equals("global")) {
            throw new RateLimitConfigException("rate-limit.policies." + name + ".scope must be global or route");
        }
        Duration period = node.get("period").as(Duration.class).orElseThrow(
                () -> new RateLimitConfigException("rate-limit.policies." + name + ".period is required (ISO-8601)"));
        return new Policy(name, key, capacity, period, perTier,
                          enumValue(FailureMode.class, node.get("failure").asString().orElse("open"),
                                    "policies." + name + ".failure"),
                          scope.equals("global") && !routePolicies.contains(name));
    }

    private static RouteLimit route(Config node) {
        Set<Method> methods = new HashSet<>();
        strings(node.get("methods")).forEach(m -> methods.add(Method.create(m.trim().toUpperCase(Locale.ROOT))));
        return new RouteLimit(node.get("path").asString().orElseThrow(
                () -> new RateLimitConfigException("rate-limit.routes entries need a path")),
                              methods,
                              strings(node.get("policies")),
                              node.get("cost").asLong().orElse(1L));
    }

    private static List<String> strings(Config node) {
        if (!node.exists()) {
            return List.of();
        }
        if (node.isLeaf()) {
            return node.asString().map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(v -> !v.isEmpty())
                    .toList()).orElse(List.of());
        }
        return node.asList(String.class).orElse(List.of());
    }

    private static Duration duration(Config node, String key, Duration defaultValue) {
        return node.get(key).as(Duration.class).orElse(defaultValue);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String key) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw new RateLimitConfigException("rate-limit." + key + ": unknown value '" + value + "'");
    }

    private static void positive(Duration duration, String key) {
        if (duration.isNegative() || duration.isZero()) {
            throw new RateLimitConfigException("rate-limit." + key + " must be positive");
        }
    }
}
