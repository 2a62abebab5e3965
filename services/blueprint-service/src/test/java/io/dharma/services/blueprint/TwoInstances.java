package io.dharma.services.blueprint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.RedisCluster;
import io.dharma.testing.RedisServer;

/**
 * Two blueprint-service instances sharing one private redis-server or Redis Cluster (rate limits, caches,
 * invalidations) and the caller's database: how a service runs behind a load balancer. Address limits are out of
 * reach, so tests from one loopback address measure what they mean to.
 */
final class TwoInstances implements AutoCloseable {
    final AutoCloseable redis;
    final DharmaService first;
    final DharmaService second;
    final HttpTestClient a;
    final HttpTestClient b;

    private TwoInstances(AutoCloseable redis, DharmaService first, DharmaService second) {
        this.redis = redis;
        this.first = first;
        this.second = second;
        this.a = HttpTestClient.create(first.port());
        this.b = HttpTestClient.create(second.port());
    }

    /**
     * Start a redis-server, then both instances on it.
     *
     * @param overrides     flat configuration (the database's, the signing key...) over application.yaml
     * @param yamlResources YAML resources of the test class path over application.yaml
     * @return the running pair
     */
    static TwoInstances start(Map<String, String> overrides, List<String> yamlResources) {
        RedisServer redis = RedisServer.start();
        return start(redis, redis.url(), overrides, yamlResources);
    }

    /**
     * Start a Redis Cluster (three primaries, three replicas), then both instances on it.
     *
     * @param overrides     flat configuration over application.yaml
     * @param yamlResources YAML resources of the test class path over application.yaml
     * @return the running pair
     */
    static TwoInstances startOnCluster(Map<String, String> overrides, List<String> yamlResources) {
        RedisCluster cluster = RedisCluster.start();
        return start(cluster, cluster.url(), overrides, yamlResources);
    }

    private static TwoInstances start(AutoCloseable redis, String url, Map<String, String> overrides,
                                      List<String> yamlResources) {
        DharmaService first = null;
        try {
            Map<String, String> config = new HashMap<>(overrides);
            config.put("redis.url", url);
            config.putIfAbsent("rate-limit.policies.ip.capacity", "1000000");
            first = TestServices.start(config, yamlResources);
            return new TwoInstances(redis, first, TestServices.start(config, yamlResources));
        } catch (RuntimeException e) {
            if (first != null) {
                first.stop();
            }
            close(redis);
            throw e;
        }
    }

    /** The redis-server of a pair started with {@link #start}. */
    RedisServer server() {
        return (RedisServer) redis;
    }

    /** The cluster of a pair started with {@link #startOnCluster}. */
    RedisCluster cluster() {
        return (RedisCluster) redis;
    }

    @Override
    public void close() {
        first.stop();
        second.stop();
        close(redis);
    }

    private static void close(AutoCloseable redis) {
        try {
            redis.close();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the test's Redis", e);
        }
    }
}
