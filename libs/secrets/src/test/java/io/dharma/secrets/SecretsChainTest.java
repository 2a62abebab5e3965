package io.dharma.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dharma.logging.Redactor;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.dharma.secrets.Fixtures.detail;
import static io.dharma.secrets.Fixtures.readiness;
import static io.dharma.secrets.Fixtures.secrets;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The environment and files sources, the chain order, the cache and readiness without Vault.
 */
class SecretsChainTest {
    @TempDir
    Path dir;

    @Test
    void environmentNamesAreUpperCasedWithUnderscores() {
        Map<String, String> env = Map.of("SECRET_JWT_SIGNING_KEY", "env-jwt-key-1",
                                         "SECRET_DB_PASSWORD", "env-db-password-1",
                                         "HOME", "/home/app");
        try (Secrets secrets = secrets(files(), env)) {
            assertThat(secrets.get("jwt-signing-key"), is(Optional.of("env-jwt-key-1")));
            assertThat(secrets.get("db.password"), is(Optional.of("env-db-password-1")));
            assertThat(secrets.get("home"), is(Optional.empty()));
        }
    }

    @Test
    void environmentPrefixIsConfigurable() {
        Map<String, String> settings = files("secrets.env.prefix", "APP_SECRET_");
        try (Secrets secrets = secrets(settings, Map.of("APP_SECRET_API_KEY", "env-api-key-1", "SECRET_API_KEY", "x"))) {
            assertThat(secrets.get("api-key"), is(Optional.of("env-api-key-1")));
        }
    }

    @Test
    void filesHoldOneSecretEachWithoutTrailingLineBreaks() throws IOException {
        Files.writeString(dir.resolve("redis-password"), "file-redis-pw-1\n");
        Files.writeString(dir.resolve("tls-key"), "-----BEGIN KEY-----\nabc\n-----END KEY-----\r\n");
        Files.writeString(dir.resolve(".hidden"), "not-a-secret");
        Files.createDirectory(dir.resolve("nested"));
        try (Secrets secrets = secrets(files(), Map.of())) {
            assertThat(secrets.get("redis-password"), is(Optional.of("file-redis-pw-1")));
            assertThat(secrets.get("tls-key"), is(Optional.of("-----BEGIN KEY-----\nabc\n-----END KEY-----")));
            assertThat(secrets.get(".hidden"), is(Optional.empty()));
            assertThat(secrets.get("nested"), is(Optional.empty()));
        }
    }

    @Test
    void kubernetesSecretVolumeIsReadThroughItsSymlinksAndRotatesAtomically() throws IOException {
        kubernetesVolume("..2025_01_01_00_00_00.1", "k8s-jwt-key-1");
        try (Secrets secrets = secrets(files(), Map.of())) {
            List<String> heard = new CopyOnWriteArrayList<>();
            secrets.onChange("jwt-signing-key", heard::add);
            assertThat(secrets.get("jwt-signing-key"), is(Optional.of("k8s-jwt-key-1")));

            kubernetesVolume("..2025_01_02_00_00_00.2", "k8s-jwt-key-2");
            assertThat("served from the cache until the next refresh", secrets.get("jwt-signing-key"),
                       is(Optional.of("k8s-jwt-key-1")));
            secrets.refresh();
            assertThat(secrets.get("jwt-signing-key"), is(Optional.of("k8s-jwt-key-2")));
            assertThat(heard, is(List.of("k8s-jwt-key-2")));
        }
    }

    @Test
    void missingDirectoryHoldsNothingAndIsHealthy() {
        Map<String, String> settings = Fixtures.with("secrets.files.directory", dir.resolve("absent").toString());
        try (Secrets secrets = secrets(settings, Map.of())) {
            assertThat(secrets.get("anything"), is(Optional.empty()));
            HealthCheckResponse response = readiness(secrets);
            assertThat(response.status(), is(HealthCheckResponse.Status.UP));
            assertThat(detail(response, "files"), is("ok"));
            assertThat(detail(response, "env"), is("ok"));
        }
    }

    @Test
    void firstSourceOfTheChainWins() throws IOException {
        Files.writeString(dir.resolve("db-password"), "file-db-password");
        Map<String, String> env = Map.of("SECRET_DB_PASSWORD", "env-db-password", "SECRET_API_KEY", "env-api-key");
        try (Secrets secrets = secrets(files(), env)) {
            assertThat(secrets.get("db-password"), is(Optional.of("file-db-password")));
            assertThat("falls through to the next source", secrets.get("api-key"), is(Optional.of("env-api-key")));
        }
        try (Secrets secrets = secrets(files("secrets.sources", "env,files"), env)) {
            assertThat(secrets.get("db-password"), is(Optional.of("env-db-password")));
        }
        try (Secrets secrets = secrets(files("secrets.sources", "files"), env)) {
            assertThat("env is not in the chain", secrets.get("api-key"), is(Optional.empty()));
        }
    }

    @Test
    void requireNamesTheMissingSecret() {
        try (Secrets secrets = secrets(files(), Map.of())) {
            SecretNotFoundException e = assertThrows(SecretNotFoundException.class, () -> secrets.require("jwt-signing-key"));
            assertThat(e.secretName(), is("jwt-signing-key"));
            assertThat(e.getMessage(), is("Secret 'jwt-signing-key' is not provided by any secret source (files, env)"));
        }
    }

    @Test
    void everyValueLoadedIsRegisteredWithTheLogRedaction() throws IOException {
        Files.writeString(dir.resolve("never-read"), "file-value-Zq81-never-read");
        try (Secrets ignored = secrets(files(), Map.of("SECRET_UNUSED", "env-value-Xk27-unused"))) {
            assertThat(Redactor.current().redact("a file-value-Zq81-never-read b"), is("a [REDACTED] b"));
            assertThat(Redactor.current().redact("env-value-Xk27-unused"), is("[REDACTED]"));
        }
    }

    @Test
    void secretRemovedFromEverySourceIsNoLongerUsed() throws IOException {
        Path file = Files.writeString(dir.resolve("redis-password"), "file-redis-pw-old");
        try (Secrets secrets = secrets(files(), Map.of("SECRET_API_KEY", "env-api-key-9"))) {
            assertThat(secrets.require("redis-password"), is("file-redis-pw-old"));
            Files.delete(file);
            secrets.refresh();
            // a revoked key must stop working at the next refresh, not at the next restart
            assertThat(secrets.get("redis-password"), is(Optional.empty()));
            assertThrows(SecretNotFoundException.class, () -> secrets.require("redis-password"));

            Files.writeString(dir.resolve("redis-password"), "file-redis-pw-new");
            secrets.refresh();
            assertThat(secrets.require("redis-password"), is("file-redis-pw-new"));
        }
    }

    @Test
    void readinessIsDownWhileARequiredSecretWasNeverLoaded() throws IOException {
        Map<String, String> settings = files("secrets.required", "jwt-signing-key, redis-password");
        try (Secrets secrets = secrets(settings, Map.of("SECRET_REDIS_PASSWORD", "env-redis-pw-1"))) {
            assertThat(secrets.readinessCheck().type(), is(HealthCheckType.READINESS));
            assertThat(secrets.readinessCheck().name(), is("secrets"));
            HealthCheckResponse down = readiness(secrets);
            assertThat(down.status(), is(HealthCheckResponse.Status.DOWN));
            assertThat(detail(down, "missing"), is("jwt-signing-key"));
            assertThat(detail(down, "lastRefresh"), is(Fixtures.NOW.toString()));

            Files.writeString(dir.resolve("jwt-signing-key"), "file-jwt-key-1");
            secrets.refresh();
            HealthCheckResponse up = readiness(secrets);
            assertThat(up.status(), is(HealthCheckResponse.Status.UP));
            assertThat(up.details().containsKey("missing"), is(false));
        }
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() throws IOException {
        try (Secrets secrets = secrets(files(), Map.of())) {
            List<String> heard = new CopyOnWriteArrayList<>();
            secrets.onChange("api-key", value -> {
                throw new IllegalStateException("listener bug");
            });
            secrets.onChange("api-key", heard::add);
            Files.writeString(dir.resolve("api-key"), "file-api-key-1");
            secrets.refresh();
            assertThat("first appearance counts as a change", heard, is(List.of("file-api-key-1")));
        }
    }

    @Test
    void closedSecretsStillServeTheCacheButDoNotRefresh() throws IOException {
        Files.writeString(dir.resolve("api-key"), "file-api-key-2");
        Secrets secrets = secrets(files(), Map.of());
        secrets.close();
        assertThat(secrets.get("api-key"), is(Optional.of("file-api-key-2")));
        assertThrows(IllegalStateException.class, secrets::refresh);
        assertThat(Secrets.describe(new IllegalStateException("secret text", new IOException("more"))),
                   not(containsString("secret")));
    }

    private Map<String, String> files(String... extra) {
        Map<String, String> settings = Fixtures.with(extra);
        settings.put("secrets.files.directory", dir.toString());
        return settings;
    }

    /** The layout the kubelet writes: {@code name -> ..data/name}, {@code ..data -> ..<timestamp>}, swapped atomically. */
    private void kubernetesVolume(String timestamp, String value) throws IOException {
        Path version = Files.createDirectory(dir.resolve(timestamp));
        Files.writeString(version.resolve("jwt-signing-key"), value + "\n");
        Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of(timestamp));
        Files.move(next, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path link = dir.resolve("jwt-signing-key");
        if (!Files.isSymbolicLink(link)) {
            Files.createSymbolicLink(link, Path.of("..data", "jwt-signing-key"));
        }
    }
}
