package io.dharma.ratelimit;

import java.time.Duration;
import java.util.List;


import io.helidon.http.Method;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reading and validating the {@code rate-limit} node. */
class RateLimitConfigTest {
    @Test
    void defaultsAreThePlatformPolicies() {
        RateLimitConfig config = Fixtures.config("other: 1");
        assertThat(config.enabled(), is(true));
        assertThat(config.redisUrl().isPresent(), is(false));
        assertThat(config.redisTimeout(), is(Duration.ofMillis(25)));
        assertThat(config.headers(), is(HeaderStyle.IETF));
        assertThat(config.ipv6Prefix(), is(64));
        assertThat(config.policy("ip").orElseThrow().capacity(), is(100L));
        assertThat(config.policy("ip").orElseThrow().period(), is(Duration.ofMinutes(15)));
        Policy user = config.policy("user").orElseThrow();
        assertThat(user.capacity("FREE"), is(100L));
        assertThat(user.capacity("BASIC"), is(1_000L));
        assertThat(user.capacity("PROFESSIONAL"), is(5_000L));
        assertThat(user.capacity("ENTERPRISE"), is(10_000L));
        assertThat(config.policy("expensive").orElseThrow().global(), is(false));
        assertThat(config.exempt("/openapi"), is(true));
        assertThat(config.exempt("/openapi/problem.yaml"), is(true));
        assertThat("whole segments only", config.exempt("/openapi-x"), is(false));
        assertThat("probes are on the management port", config.exempt("/health/ready"), is(false));
        assertThat(config.exempt("/api/v1/blueprints"), is(false));
    }

    @Test
    void policiesRoutesAndOptionsFromYaml() {
        RateLimitConfig config = Fixtures.config("""
                rate-limit:
                  headers: draft6
                  ipv6-prefix: 56
                  trusted-proxies: [10.0.0.0/8]
                  redis: {url: "redis://127.0.0.1:6379", timeout: PT0.05S}
                  policies:
                    per-route: {key: "user+route", capacity: 20, period: PT1M, failure: closed}
                    ip: {key: ip, capacity: 10, period: PT1S}
                  routes:
                    - {path: "/api/v1/blueprints/{id}/cost", methods: [GET, post], policies: [per-route], cost: 5}
                """);
        assertThat(config.headers(), is(HeaderStyle.DRAFT6));
        assertThat(config.ipv6Prefix(), is(56));
        assertThat(config.redisUrl().orElseThrow(), is("redis://127.0.0.1:6379"));
        assertThat(config.redisTimeout(), is(Duration.ofMillis(50)));
        Policy perRoute = config.policy("per-route").orElseThrow();
        assertThat(perRoute.name(), is("per-route"));
        assertThat(perRoute.key(), is(List.of(KeyPart.USER, KeyPart.ROUTE)));
        assertThat(perRoute.failure(), is(FailureMode.CLOSED));
        assertThat("named by a route: route-scoped", perRoute.global(), is(false));
        assertThat(config.routes().getFirst().cost(), is(5L));
        assertThat(config.routes().getFirst().methods().contains(Method.POST), is(true));
    }

    @Test
    void invalidConfigurationIsRejected() {
        assertThrows(RateLimitException.class, () -> Fixtures.config("""
                rate-limit:
                  policies:
                    ip: {key: mac, capacity: 10, period: PT1S}
                """));
        assertThrows(RateLimitException.class, () -> Fixtures.config("""
                rate-limit:
                  policies:
                    ip: {key: ip, capacity: 0, period: PT1S}
                """));
        assertThrows(RateLimitException.class, () -> Fixtures.config("""
                rate-limit:
                  policies:
                    ip: {key: ip, capacity: 100000, period: PT1S}
                """));
        assertThrows(RateLimitException.class, () -> Fixtures.config("""
                rate-limit:
                  policies:
                    ip: {key: ip, capacity: 10, period: PT1S}
                  routes:
                    - {path: "/x", policies: [ip], cost: 11}
                """));
        assertThrows(RateLimitException.class, () -> Fixtures.config("""
                rate-limit:
                  routes:
                    - {path: "/x", policies: [nope]}
                """));
        assertThrows(RateLimitException.class, () -> Fixtures.config("rate-limit.headers: rfc"));
    }
}
