package io.dharma.secrets;

import java.util.concurrent.atomic.AtomicReference;

import io.dharma.health.HealthConfig;
import io.dharma.health.Probes;

import io.helidon.config.Config;

/**
 * The code shown in {@code docs/secrets.md}, compiled with the tests so the page cannot drift from the API.
 */
final class Snippets {
    private Snippets() {
    }

    static void usage(Config config, Probes probes) {
        // tag::usage[]
        Secrets secrets = Secrets.create(config.get("secrets"));
        probes.add(secrets.readinessCheck());

        String redisPassword = secrets.require("redis-password");
        AtomicReference<String> signingKey = new AtomicReference<>(secrets.require("jwt-signing-key"));
        secrets.onChange("jwt-signing-key", signingKey::set);
        // end::usage[]
        secrets.close();
    }

    static Probes probes() {
        return Probes.create(HealthConfig.create(Config.empty().get("health")));
    }
}
