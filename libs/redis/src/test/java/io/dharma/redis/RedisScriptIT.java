package io.dharma.redis;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.dharma.testing.RedisServer;
import io.dharma.testing.RequiresServices;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Scripts and clients on a private {@code redis-server}: a script the server does not know (never loaded, or flushed
 * as after a restart or a failover) is sent whole once and then run by its SHA-1; a client is built from the
 * {@code redis} node, authenticating with the password from the secret store.
 */
@RequiresServices(REDIS_BINARIES)
class RedisScriptIT {
    private static final RedisScript ADD = RedisScript.load(RedisScriptIT.class, "add");
    private static final List<byte[]> KEYS = List.of(bytes("counter"));

    @Test
    void aScriptUnknownToTheServerIsSentOnceThenRunByItsSha() {
        try (RedisServer redis = RedisServer.start();
             Jedis admin = redis.client();
             UnifiedJedis client = Redis.client(redis.url(), Duration.ofSeconds(2), 2, "script-it")) {
            assertThat(admin.scriptExists(ADD.sha()), is(false));
            assertThat(ADD.eval(client, KEYS, List.of(bytes("2"))), is(2L));
            assertThat("EVAL cached it under the same SHA-1", admin.scriptExists(ADD.sha()), is(true));
            assertThat(ADD.eval(client, KEYS, List.of(bytes("3"))), is(5L));
            admin.scriptFlush();
            assertThat("sent whole again after a flush", ADD.eval(client, KEYS, List.of(bytes("1"))), is(6L));
            assertThat(ADD.name(), is("add"));
        }
    }

    @Test
    void withTracingOffACallRunsAsItIsAndItsFailurePassesThrough() {
        try (RedisServer redis = RedisServer.start();
             UnifiedJedis client = Redis.client(redis.url(), Duration.ofSeconds(2), 2, "script-it")) {
            assertThat(ADD.traced(() -> ADD.eval(client, KEYS, List.of(bytes("4")))), is(4L));
            assertThrows(JedisDataException.class,
                         () -> ADD.traced(() -> ADD.eval(client, KEYS, List.of(bytes("not a number")))));
        }
    }

    @Test
    void aMissingScriptIsAClearError() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                                              () -> RedisScript.load(RedisScriptIT.class, "no-such-script"));
        assertThat(e.getMessage(), containsString("no-such-script.lua is missing next to " + RedisScriptIT.class.getName()));
    }

    @Test
    void aClientFromConfigAuthenticatesWithTheSecretAndNoUrlMeansNoClient() {
        try (RedisServer redis = RedisServer.start("s3cret")) {
            Config node = Config.just(ConfigSources.create(Map.of(
                    "redis.url", redis.url(),
                    "redis.timeout", "PT2S",
                    "redis.pool-size", "2",
                    "redis.password-secret", " app-redis "))).get("redis");
            Function<String, Optional<String>> secrets = name -> name.equals("app-redis") ? Optional.of("s3cret")
                    : Optional.empty();
            assertThat(RedisAuth.create(node, secrets).toString(), is("RedisAuth[user=-, secret=app-redis]"));
            try (UnifiedJedis client = Redis.client(node, "script-it", secrets).orElseThrow()) {
                assertThat(client.ping(), is("PONG"));
                assertThat(Redis.isCluster(client), is(false));
            }
            Config empty = Config.just(ConfigSources.create(Map.of("redis.url", " "))).get("redis");
            assertThat(Redis.client(empty, "script-it").isPresent(), is(false));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
