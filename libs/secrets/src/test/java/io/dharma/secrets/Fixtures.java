package io.dharma.secrets;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.dharma.testing.VaultStub;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.health.HealthCheckResponse;

/**
 * Fixtures of the secrets tests: config from a map, a fixed clock, Vault settings for a {@link VaultStub}.
 */
final class Fixtures {
    static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    static final InstantSource CLOCK = InstantSource.fixed(NOW);
    static final String DOCUMENT = "blueprint-service";

    private Fixtures() {
    }

    static Config config(Map<String, String> settings) {
        return Config.just(ConfigSources.create(settings)).get("secrets");
    }

    /** Secrets from config settings and an environment, on the fixed clock. */
    static Secrets secrets(Map<String, String> settings, Map<String, String> environment) {
        return Secrets.create(SecretsConfig.create(config(settings)), environment, CLOCK);
    }

    /** Settings for token auth against the stub, plus extra settings. */
    static Map<String, String> vaultToken(VaultStub vault, String... extra) {
        Map<String, String> settings = with(extra);
        settings.put("secrets.vault.address", vault.address());
        settings.put("secrets.vault.path", DOCUMENT);
        settings.put("secrets.vault.token", vault.token());
        return settings;
    }

    /** Settings for AppRole auth against the stub, plus extra settings. */
    static Map<String, String> vaultAppRole(VaultStub vault, String roleId, String secretId, String... extra) {
        Map<String, String> settings = with(extra);
        settings.put("secrets.vault.address", vault.address());
        settings.put("secrets.vault.path", DOCUMENT);
        settings.put("secrets.vault.approle.role-id", roleId);
        settings.put("secrets.vault.approle.secret-id", secretId);
        return settings;
    }

    static Map<String, String> with(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static HealthCheckResponse readiness(Secrets secrets) {
        return secrets.readinessCheck().call();
    }

    static String detail(HealthCheckResponse response, String key) {
        return String.valueOf(response.details().get(key));
    }

    /** Polls a condition every 20 ms for up to 5 s; timing is never asserted, only the outcome. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
