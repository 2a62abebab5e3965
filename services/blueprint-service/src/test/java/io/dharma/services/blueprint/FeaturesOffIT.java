package io.dharma.services.blueprint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.ServiceProcess;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * The built jar on embedded defaults (no Redis, no Vault, tracing off) loads no class of those features, from start
 * through requests to shutdown: a feature that is configured off costs neither start-up time nor memory.
 */
class FeaturesOffIT {
    private static final Path JAR = Path.of("target", "blueprint-service.jar");
    private static final List<String> FEATURES_OFF = List.of("redis.clients.", "org.apache.commons.pool2.",
                                                             "io.helidon.integrations.vault.", "io.opentelemetry.sdk.",
                                                             "zipkin2.");

    @Test
    @Timeout(120)
    void classesOfFeaturesConfiguredOffAreNeverLoaded(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.txt");
        String signingKey = Tokens.randomSecret();
        String bearer = "Bearer " + Tokens.hmac(signingKey).valid("features-off");
        try (ServiceProcess service = ServiceProcess.start(JAR, Map.of(
                "JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + classes,
                "SECRET_JWT_SIGNING_KEY", signingKey,
                "SERVICE_DRAIN_dash_DELAY", "PT0S"))) {
            HttpTestClient client = HttpTestClient.create(service.port());
            assertThat(client.get("/api/v1/blueprints/" + UUID.randomUUID(), "Authorization", bearer).status(), is(404));
            assertThat(client.get("/api/v1/blueprints?limit=5", "Authorization", bearer).status(), is(200));
            assertThat(client.get("/api/v1/blueprints?limit=5", "Authorization", "Bearer forged").status(), is(401));
            service.terminate();
            service.awaitExit(Duration.ofSeconds(60));
        }
        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded.size(), greaterThan(1_000));
        List<String> offFeatureClasses = loaded.stream()
                .map(line -> line.substring(line.indexOf(']', line.indexOf("[class,load]")) + 2))
                .filter(name -> FEATURES_OFF.stream().anyMatch(name::startsWith))
                .toList();
        assertThat(offFeatureClasses, is(empty()));
    }
}
