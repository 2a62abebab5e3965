package io.dharma.services.blueprint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dharma.testing.PostgresSchema;
import io.dharma.testing.RedisServer;
import io.dharma.testing.RequiresServices;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.dharma.testing.RequiresServices.Service.POSTGRES;
import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;

/**
 * Isolation between users on the real PostgreSQL, with both cache layers (L1 and Redis).
 */
@RequiresServices({POSTGRES, REDIS_BINARIES})
class IsolationPostgresIT extends AbstractIsolationTest {
    @RegisterExtension
    static final PostgresSchema POSTGRES = PostgresSchema.create();
    private static RedisServer redis;

    @BeforeAll
    static void startOnPostgres() {
        redis = RedisServer.start();
        Map<String, String> config = new HashMap<>(POSTGRES.dbConfig());
        config.put("redis.url", redis.url());
        start(config);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    List<String> expectedForSymbols(String nameContainingIt) {
        return List.of();
    }
}
