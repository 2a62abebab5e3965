package io.dharma.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import io.dharma.secrets.Secrets;
import io.dharma.testing.Load;
import io.dharma.testing.RedisCluster;
import io.dharma.testing.RedisServer;
import io.dharma.testing.RequiresServices;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The Redis password rotated on a real {@code redis-server} while requests run, the new value coming from the secret
 * store (a secret file refreshed every 0.2 s): new connections authenticate with it (the credentials provider), and
 * every pooled connection opened with the old one is replaced. No request may fail, no increment may be lost. Redis
 * keeps old connections authenticated, so without the replacement they would live on; without the provider, the
 * replacements could not authenticate.
 */
@RequiresServices(REDIS_BINARIES)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisPasswordRotationIT {
    private static final String CLIENT = "rotation-it";
    private static final int WORKERS = 8;
    private static final IntPredicate ACKNOWLEDGED = status -> status == Load.DONE;

    @Test
    void requirepassRotationUnderLoad(@TempDir Path secretsDir) throws Exception {
        try (RedisServer redis = RedisServer.start("pw-1-initial")) {
            write(secretsDir, "pw-1-initial");
            Config root = config(redis, secretsDir, Map.of());
            try (Secrets secrets = Secrets.create(root.get("secrets"));
                 UnifiedJedis client = Redis.client(root.get("redis"), CLIENT, secrets::get).orElseThrow()) {
                Load load = load(client);
                load.await(500, ACKNOWLEDGED, Duration.ofSeconds(30));

                long first = rotate(redis, secrets, secretsDir, "pw-2-rotated", () -> redis.requirePassword("pw-2-rotated"));
                load.await(load.count(ACKNOWLEDGED) + 500, ACKNOWLEDGED, Duration.ofSeconds(30));
                long second = rotate(redis, secrets, secretsDir, "pw-3-again", () -> redis.requirePassword("pw-3-again"));
                load.await(load.count(ACKNOWLEDGED) + 500, ACKNOWLEDGED, Duration.ofSeconds(30));
                load.stop();

                report("requirepass", load, counter(redis), first, second);
                assertThat("failed requests: " + load.failures(), load.count(ACKNOWLEDGED.negate()), is(0L));
                assertThat("acknowledged increments lost", load.count(ACKNOWLEDGED) - counter(redis), is(0L));
            }
        }
    }

    @Test
    void aclUserRotationUnderLoad(@TempDir Path secretsDir) throws Exception {
        try (RedisServer redis = RedisServer.start("admin-pw")) {
            try (Jedis admin = redis.client()) {
                admin.aclSetUser("app", "on", ">app-pw-1", "~*", "+@all");
            }
            write(secretsDir, "app-pw-1");
            Config root = config(redis, secretsDir, Map.of("redis.user", "app"));
            try (Secrets secrets = Secrets.create(root.get("secrets"));
                 UnifiedJedis client = Redis.client(root.get("redis"), CLIENT, secrets::get).orElseThrow()) {
                Load load = load(client);
                load.await(500, ACKNOWLEDGED, Duration.ofSeconds(30));

                // Redis ACL users may hold two passwords: add the new one, move the secret, then drop the old one
                long rotated = rotate(redis, secrets, secretsDir, "app-pw-2", () -> acl(redis, ">app-pw-2"));
                acl(redis, "<app-pw-1");
                load.await(load.count(ACKNOWLEDGED) + 500, ACKNOWLEDGED, Duration.ofSeconds(30));
                load.stop();

                report("ACL user", load, counter(redis), rotated, 0);
                assertThat("failed requests: " + load.failures(), load.count(ACKNOWLEDGED.negate()), is(0L));
                assertThat("acknowledged increments lost", load.count(ACKNOWLEDGED) - counter(redis), is(0L));
                try (Jedis check = new Jedis("127.0.0.1", redis.port())) {
                    assertThat(check.auth("app", "app-pw-2"), is("OK"));
                }
            }
        }
    }

    @Test
    void requirepassRotationOnAClusterUnderLoad(@TempDir Path secretsDir) throws Exception {
        try (RedisCluster cluster = RedisCluster.start("pw-1-initial")) {
            write(secretsDir, "pw-1-initial");
            Config root = config(cluster.url(), secretsDir, Map.of());
            try (Secrets secrets = Secrets.create(root.get("secrets"));
                 UnifiedJedis client = Redis.client(root.get("redis"), CLIENT, secrets::get).orElseThrow()) {
                Load load = load(client);
                load.await(500, ACKNOWLEDGED, Duration.ofSeconds(30));

                cluster.requirePassword("pw-2-rotated");
                write(secretsDir, "pw-2-rotated");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!secrets.get("redis-password").orElse("").equals("pw-2-rotated") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                // every connection must authenticate again: only the rotated secret opens them now
                cluster.dropClientConnections();
                load.await(load.count(ACKNOWLEDGED) + 500, ACKNOWLEDGED, Duration.ofSeconds(30));
                load.stop();

                long stored = Long.parseLong(client.get("hits"));
                System.out.printf("Redis Cluster requirepass rotation under load: %d requests sent, %d failed, "
                                          + "%d acknowledged, %d stored%n",
                                  load.sent(), load.count(ACKNOWLEDGED.negate()), load.count(ACKNOWLEDGED), stored);
                assertThat("failed requests: " + load.failures(), load.count(ACKNOWLEDGED.negate()), is(0L));
                // a command whose connection was closed after it ran is retried: counted twice, never lost
                assertThat("acknowledged increments lost", stored, greaterThanOrEqualTo(load.count(ACKNOWLEDGED)));
            }
        }
    }

    @Test
    void withoutASecretTheUrlPasswordIsUsed(@TempDir Path secretsDir) {
        try (RedisServer redis = RedisServer.start("url-pw")) {
            Config root = Config.just(ConfigSources.create(Map.of("redis.url", "redis://:url-pw@127.0.0.1:" + redis.port())));
            try (UnifiedJedis client = Redis.client(root.get("redis"), CLIENT, name -> Optional.empty()).orElseThrow()) {
                assertThat(client.set("k", "v"), is("OK"));
            }
        }
    }

    private static Load load(UnifiedJedis client) {
        return Load.start(WORKERS, Duration.ZERO, (worker, n) -> {
            client.incr("hits");
            return Load.DONE;
        });
    }

    /**
     * Change the server's password, then the secret; wait until every pooled connection is newer than the rotation.
     */
    private static long rotate(RedisServer redis, Secrets secrets, Path secretsDir, String password, Runnable change)
            throws IOException, InterruptedException {
        long before = Collections.max(redis.clientIds(CLIENT));
        change.run();
        long start = System.nanoTime();
        write(secretsDir, password);
        long deadline = start + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<Long> ids = redis.clientIds(CLIENT);
            if (!ids.isEmpty() && ids.get(0) > before && secrets.get("redis-password").orElse("").equals(password)) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(20);
        }
        List<Long> ids = redis.clientIds(CLIENT);
        assertThat("connections open after the rotation", ids, not(empty()));
        assertThat("connections opened before the rotation (ids up to " + before + ")", ids, everyItem(greaterThan(before)));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void acl(RedisServer redis, String rule) {
        try (Jedis admin = redis.client()) {
            admin.aclSetUser("app", rule);
        }
    }

    private static long counter(RedisServer redis) {
        try (Jedis admin = redis.client()) {
            return Long.parseLong(admin.get("hits"));
        }
    }

    private static Config config(RedisServer redis, Path secretsDir, Map<String, String> extra) {
        return config(redis.url(), secretsDir, extra);
    }

    private static Config config(String url, Path secretsDir, Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "secrets.sources", "files",
                "secrets.files.directory", secretsDir.toString(),
                "secrets.refresh-interval", "PT0.2S",
                "redis.url", url,
                "redis.pool-size", "8",
                "redis.timeout", "PT2S"));
        settings.putAll(extra);
        return Config.just(ConfigSources.create(settings));
    }

    private static void write(Path secretsDir, String password) throws IOException {
        Files.writeString(secretsDir.resolve("redis-password"), password + "\n");
    }

    private static void report(String kind, Load load, long stored, long first, long second) {
        System.out.printf("Redis %s rotation under load: %d requests sent, %d failed, %d acknowledged, %d stored; "
                                  + "old connections replaced in %d ms and %d ms%n",
                          kind, load.sent(), load.count(ACKNOWLEDGED.negate()), load.count(ACKNOWLEDGED), stored,
                          first, second);
    }
}
