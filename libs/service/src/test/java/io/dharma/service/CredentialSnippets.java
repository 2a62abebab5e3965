package io.dharma.service;

import java.util.Optional;

import io.dharma.data.Database;
import io.dharma.redis.Redis;
import io.dharma.secrets.Secrets;

import io.helidon.config.Config;

import redis.clients.jedis.UnifiedJedis;

/**
 * The credential wiring shown in docs/secrets.md ("Credentials: database and Redis"); compiled, not run.
 */
final class CredentialSnippets {
    private CredentialSnippets() {
    }

    static void credentials(Config config, Secrets secrets) {
        Database database = Database.create(config.get("db"), "blueprint-service", secrets::get);
        secrets.onChange(database.passwordSecret(), database::rotatePassword);
        Optional<UnifiedJedis> redis = Redis.client(config.get("redis"), "blueprint-service", secrets::get);
        redis.ifPresent(UnifiedJedis::close);
        database.close();
    }
}
