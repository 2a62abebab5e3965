package io.dharma.services.blueprint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.RedisServer;

/**
 * Two blueprint-service instances sharing one private redis-server (rate limits, caches, invalidations) and the
 * caller's database: how a service runs behind a load balancer. Address limits are out of reach, so tests from one
 * loopback address measure what they mean to.
 */
final class TwoInstances implements AutoCloseable {
    final RedisServer redis;
    final DharmaService first;
    final DharmaService second;
    final HttpTestClient a;
    final HttpTestClient b;

    private TwoInstances(RedisServer redis, DharmaService first, DharmaService second) {
        this.redis = redis;
        this.first = first;
        this.second = second;
        this.a = HttpTestClient.create(first.port());
        this.b = HttpTestClient.create(second.port());
    }

    /**
     * Start Redis, then both instances on it.
     *
     * @param overrides     flat configuration (the database's, the signing key...) over application.yaml
     * @param yamlResources YAML resources of the test class path over application.yaml
     * @return the running pair
     */
    static TwoInstances start(Map<String, String> overrides, List<String> yamlResources) {
        RedisServer redis = RedisServer.start();
        DharmaService first = null;
        try {
            Map<String, String> config = new HashMap<>(overrides);
            config.put("redis.url", redis.url());
            config.putIfAbsent("rate-limit.policies.ip.capacity", "1000000");
            first = TestServices.start(config, yamlResources);
            return new TwoInstances(redis, first, TestServices.start(config, yamlResources));
        } catch (RuntimeException e) {
            if (first != null) {
                first.stop();
            }
            redis.close();
            throw e;
        }
    }

    @Override
    public void close() {
        first.stop();
        second.stop();
        redis.close();
    }
}
