package io.dharma.redis;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RedisTest {
    @Test
    void aUrlThatNamesNoRedisIsAClearConfigurationError() {
        for (String url : List.of("http://127.0.0.1:6379", "redis-cluster://127.0.0.1:7000,127.0.0.2",
                                  "redis-cluster://127.0.0.1:7000,,127.0.0.1:7001", "redis-cluster://127.0.0.1:7000,h:7001/3",
                                  "redis-cluster://127.0.0.1:7000/2", "redis-cluster://", "redis-cluster://a b:7000")) {
            RedisConfigException e = assertThrows(RedisConfigException.class,
                                                      () -> Redis.client(url, Duration.ofMillis(100), 1, "test"), url);
            assertThat(url + ": " + e.getMessage(), e.getMessage().contains("URL") || e.getMessage().contains("seed"),
                       is(true));
        }
    }

    @Test
    void aClusterNoSeedOfWhichAnswersFailsTheStartClearly() {
        RedisStartException e = assertThrows(RedisStartException.class,
                                               () -> Redis.client("redis-cluster://127.0.0.1:1", Duration.ofMillis(100), 1,
                                                                  "test"));
        assertThat(e.getMessage(), containsString("No seed node of the Redis Cluster answered"));
    }

    @Test
    void clusterUrlsAreToldApart() {
        assertThat(Redis.isCluster("redis-cluster://h:1"), is(true));
        assertThat(Redis.isCluster("rediss-cluster://h:1"), is(true));
        assertThat(Redis.isCluster("redis://h:1"), is(false));
        assertThat(Redis.slot("{blueprints}:seq"), is(Redis.slot("{blueprints}:e:1")));
    }
}
