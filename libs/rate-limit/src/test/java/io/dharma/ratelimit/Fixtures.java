package io.dharma.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.dharma.testing.YamlConfig;

/** Test configuration helpers. */
final class Fixtures {
    private Fixtures() {
    }

    static RateLimitConfig config(String yaml) {
        return RateLimitConfig.create(YamlConfig.parse(yaml).get("rate-limit"));
    }

    /** The Redis backend at a URL, keys under a prefix, probing again after 20 ms (doubling up to 100 ms). */
    static RateLimitConfig redis(String url, String timeout, String keyPrefix, String extraYaml) {
        return config("""
                rate-limit:
                  redis:
                    url: %s
                    timeout: %s
                    key-prefix: "%s"
                    probe-backoff: PT0.02S
                    max-probe-backoff: PT0.1S
                %s
                """.formatted(url, timeout, keyPrefix, extraYaml));
    }

    static Policy policy(String name, long capacity, Duration period) {
        return new Policy(name, List.of(KeyPart.IP), capacity, period, Map.of(), FailureMode.OPEN, true);
    }

    static Policy policy(String name, long capacity, Duration period, FailureMode failure) {
        return new Policy(name, List.of(KeyPart.IP), capacity, period, Map.of(), failure, true);
    }

    static Charge charge(Policy policy, String key) {
        return Charge.hashed(policy, key, policy.capacity(), 1);
    }

    static Charge charge(Policy policy, String key, long cost) {
        return Charge.hashed(policy, key, policy.capacity(), cost);
    }
}
