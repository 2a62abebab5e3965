package io.dharma.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dharma.testing.VaultStub;

import io.helidon.health.HealthCheckResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.dharma.secrets.Fixtures.DOCUMENT;
import static io.dharma.secrets.Fixtures.NOW;
import static io.dharma.secrets.Fixtures.detail;
import static io.dharma.secrets.Fixtures.eventually;
import static io.dharma.secrets.Fixtures.readiness;
import static io.dharma.secrets.Fixtures.secrets;
import static io.dharma.secrets.Fixtures.vaultAppRole;
import static io.dharma.secrets.Fixtures.vaultToken;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Vault KV v2 through Helidon's Vault client, against {@link VaultStub} (an HTTP stub of Vault's documented API, as
 * no Vault server can run here): token, AppRole and Kubernetes auth, rotation, outages, readiness.
 */
class VaultSecretsIT {
    private static final String NO_FILES = "/nonexistent/dharma-secrets-it";
    private static VaultStub vault;

    @BeforeAll
    static void startVault() {
        vault = VaultStub.start();
        vault.approle("role-it", "secret-id-it-7f3a");
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    @BeforeEach
    void resetVault() {
        vault.up();
        vault.put(DOCUMENT, Map.of("jwt-signing-key", "vault-jwt-key-1", "redis-password", "vault-redis-pw-1"));
    }

    @Test
    void tokenAuthReadsEachKeyOfTheDocument() {
        try (Secrets secrets = secrets(vaultToken(vault, "secrets.files.directory", NO_FILES), Map.of())) {
            assertThat(secrets.get("jwt-signing-key"), is(Optional.of("vault-jwt-key-1")));
            assertThat(secrets.require("redis-password"), is("vault-redis-pw-1"));
            assertThat(detail(readiness(secrets), "vault"), is("ok"));
        }
    }

    @Test
    void readsNeverCallVaultAfterTheFirstLoad() {
        try (Secrets secrets = secrets(vaultToken(vault, "secrets.files.directory", NO_FILES), Map.of())) {
            int requests = vault.requests();
            for (int i = 0; i < 100; i++) {
                secrets.get("jwt-signing-key");
                secrets.get("not-there");
            }
            readiness(secrets);
            assertThat(vault.requests(), is(requests));
        }
    }

    @Test
    void vaultComesBeforeFilesAndEnvironment() {
        Map<String, String> env = Map.of("SECRET_JWT_SIGNING_KEY", "env-jwt-key", "SECRET_ONLY_IN_ENV", "env-only-1");
        try (Secrets secrets = secrets(vaultToken(vault, "secrets.files.directory", NO_FILES), env)) {
            assertThat(secrets.get("jwt-signing-key"), is(Optional.of("vault-jwt-key-1")));
            assertThat(secrets.get("only-in-env"), is(Optional.of("env-only-1")));
        }
    }

    @Test
    void otherMountsAndMissingDocuments() {
        vault.put("kv-apps", "billing", Map.of("api-key", "vault-billing-key-1"));
        Map<String, String> settings = vaultToken(vault, "secrets.sources", "vault",
                                                  "secrets.vault.mount", "kv-apps");
        settings.put("secrets.vault.path", "billing");
        try (Secrets secrets = secrets(settings, Map.of())) {
            assertThat(secrets.get("api-key"), is(Optional.of("vault-billing-key-1")));
        }
        settings.put("secrets.vault.path", "no-such-document");
        try (Secrets secrets = secrets(settings, Map.of())) {
            assertThat(secrets.get("api-key"), is(Optional.empty()));
            assertThat("a 404 is an answer", detail(readiness(secrets), "vault"), is("ok"));
        }
    }

    @Test
    void appRoleLogsInAndLogsInAgainWhenTheTokenIsDenied() {
        int logins = vault.logins();
        try (Secrets secrets = secrets(vaultAppRole(vault, "role-it", "secret-id-it-7f3a", "secrets.sources", "vault"),
                                       Map.of())) {
            assertThat(secrets.require("jwt-signing-key"), is("vault-jwt-key-1"));
            assertThat(vault.logins(), is(logins + 1));
            assertLogsInAgainWhenTheTokenIsRevoked(secrets, logins + 1);
        }
    }

    @Test
    void kubernetesAuthLogsInWithTheServiceAccountTokenAndReadsItAgainForTheNextLogin(@TempDir Path dir)
            throws IOException {
        Path jwt = dir.resolve("token");
        Files.writeString(jwt, "sa-jwt-1.payload.signature\n");
        vault.kubernetes("k8s-it", "blueprint", "sa-jwt-1.payload.signature");
        Map<String, String> settings = Fixtures.with("secrets.sources", "vault",
                                                     "secrets.vault.address", vault.address(),
                                                     "secrets.vault.path", DOCUMENT,
                                                     "secrets.vault.kubernetes.role", "blueprint",
                                                     "secrets.vault.kubernetes.path", "k8s-it",
                                                     "secrets.vault.kubernetes.jwt-path", jwt.toString());
        int logins = vault.logins();
        try (Secrets secrets = secrets(settings, Map.of())) {
            assertThat(secrets.require("jwt-signing-key"), is("vault-jwt-key-1"));
            assertThat(vault.logins(), is(logins + 1));
            secrets.refresh();
            assertThat("the token is reused while its lease runs", vault.logins(), is(logins + 1));

            // the kubelet rotates the projected token
            Files.writeString(jwt, "sa-jwt-2.payload.signature");
            vault.kubernetes("k8s-it", "blueprint", "sa-jwt-2.payload.signature");
            assertLogsInAgainWhenTheTokenIsRevoked(secrets, logins + 1);
        }
    }

    // Vault revokes the client token and the document changes: the next refresh logs in once more and reads it
    private void assertLogsInAgainWhenTheTokenIsRevoked(Secrets secrets, int loginsSoFar) {
        vault.revokeTokens();
        vault.put(DOCUMENT, Map.of("jwt-signing-key", "vault-jwt-key-2"));
        secrets.refresh();
        assertThat(secrets.require("jwt-signing-key"), is("vault-jwt-key-2"));
        assertThat(vault.logins(), is(loginsSoFar + 1));
        assertThat(detail(readiness(secrets), "vault"), is("ok"));
    }

    @Test
    void missingServiceAccountTokenIsAFailingSourceNotAFailedStart(@TempDir Path dir) {
        Map<String, String> settings = Fixtures.with("secrets.sources", "vault",
                                                     "secrets.required", "jwt-signing-key",
                                                     "secrets.vault.address", vault.address(),
                                                     "secrets.vault.path", DOCUMENT,
                                                     "secrets.vault.kubernetes.role", "blueprint",
                                                     "secrets.vault.kubernetes.jwt-path", dir.resolve("none").toString());
        try (Secrets secrets = secrets(settings, Map.of())) {
            HealthCheckResponse response = readiness(secrets);
            assertThat(response.status(), is(HealthCheckResponse.Status.DOWN));
            assertThat(detail(response, "vault.error"), is("UncheckedIOException caused by NoSuchFileException"));
        }
    }

    @Test
    void wrongCredentialsAreReportedNotThrown() {
        Map<String, String> approle = vaultAppRole(vault, "role-it", "wrong-secret-id", "secrets.sources", "vault");
        try (Secrets secrets = secrets(approle, Map.of())) {
            HealthCheckResponse response = readiness(secrets);
            assertThat("nothing is required", response.status(), is(HealthCheckResponse.Status.UP));
            assertThat(detail(response, "vault"), is("unreachable since " + NOW));
            assertThat(detail(response, "vault.error"), is("VaultRestException (400)"));
        }
        Map<String, String> token = vaultToken(vault, "secrets.sources", "vault", "secrets.required", "jwt-signing-key");
        token.put("secrets.vault.token", "hvs.not-a-valid-token");
        try (Secrets secrets = secrets(token, Map.of())) {
            HealthCheckResponse response = readiness(secrets);
            assertThat(response.status(), is(HealthCheckResponse.Status.DOWN));
            assertThat(detail(response, "vault.error"), is("VaultRestException (403)"));
            assertThat(detail(response, "missing"), is("jwt-signing-key"));
        }
    }

    @Test
    void rotationTakesEffectOnRefreshAndNotifiesOnce() {
        try (Secrets secrets = secrets(vaultToken(vault, "secrets.files.directory", NO_FILES), Map.of())) {
            List<String> heard = new CopyOnWriteArrayList<>();
            List<String> other = new CopyOnWriteArrayList<>();
            secrets.onChange("jwt-signing-key", heard::add);
            secrets.onChange("redis-password", other::add);

            vault.put(DOCUMENT, Map.of("jwt-signing-key", "vault-jwt-key-2", "redis-password", "vault-redis-pw-1"));
            assertThat("cached until the next refresh", secrets.require("jwt-signing-key"), is("vault-jwt-key-1"));
            secrets.refresh();
            secrets.refresh();
            assertThat(secrets.require("jwt-signing-key"), is("vault-jwt-key-2"));
            assertThat(heard, is(List.of("vault-jwt-key-2")));
            assertThat("unchanged values are not announced", other, is(List.of()));
        }
    }

    @Test
    void periodicRefreshPicksUpRotatedValues() throws InterruptedException {
        Map<String, String> settings = vaultToken(vault, "secrets.files.directory", NO_FILES,
                                                  "secrets.refresh-interval", "PT0.2S");
        try (Secrets secrets = secrets(settings, Map.of())) {
            List<String> heard = new CopyOnWriteArrayList<>();
            secrets.onChange("redis-password", heard::add);
            vault.put(DOCUMENT, Map.of("jwt-signing-key", "vault-jwt-key-1", "redis-password", "vault-redis-pw-2"));

            assertThat(eventually(() -> secrets.require("redis-password").equals("vault-redis-pw-2")), is(true));
            assertThat(eventually(() -> !heard.isEmpty()), is(true));
            assertThat(heard, is(List.of("vault-redis-pw-2")));
        }
    }

    @Test
    void vaultOutageKeepsCachedValuesAndReadiness() {
        Map<String, String> settings = vaultToken(vault, "secrets.files.directory", NO_FILES,
                                                  "secrets.required", "jwt-signing-key");
        try (Secrets secrets = secrets(settings, Map.of())) {
            vault.down();
            secrets.refresh();
            assertThat(secrets.require("jwt-signing-key"), is("vault-jwt-key-1"));
            HealthCheckResponse degraded = readiness(secrets);
            assertThat(degraded.status(), is(HealthCheckResponse.Status.UP));
            assertThat(detail(degraded, "vault"), is("unreachable since " + NOW));
            assertThat(detail(degraded, "vault.error"), is("VaultRestException (503)"));
            assertThat(detail(degraded, "files"), is("ok"));

            vault.up();
            secrets.refresh();
            HealthCheckResponse recovered = readiness(secrets);
            assertThat(detail(recovered, "vault"), is("ok"));
            assertThat(recovered.details().containsKey("vault.error"), is(false));
        }
    }

    @Test
    void failingSourcesAreRetriedSoonerThanTheRefreshInterval() throws InterruptedException {
        vault.down();
        Map<String, String> settings = vaultToken(vault, "secrets.files.directory", NO_FILES,
                                                  "secrets.required", "jwt-signing-key",
                                                  "secrets.retry-interval", "PT0.1S");
        try (Secrets secrets = secrets(settings, Map.of())) {
            assertThat(readiness(secrets).status(), is(HealthCheckResponse.Status.DOWN));
            vault.up();
            assertThat(eventually(() -> readiness(secrets).status() == HealthCheckResponse.Status.UP), is(true));
            assertThat(secrets.require("jwt-signing-key"), is("vault-jwt-key-1"));
            assertThat(detail(readiness(secrets), "vault"), is("ok"));
        }
    }

    @Test
    void unreachableVaultAtStartupIsDownOnlyForRequiredSecrets() {
        Map<String, String> settings;
        try (VaultStub gone = VaultStub.start()) {
            settings = vaultToken(gone, "secrets.files.directory", NO_FILES,
                                  "secrets.required", "jwt-signing-key",
                                  "secrets.vault.timeout", "PT0.5S");
        }
        try (Secrets secrets = secrets(settings, Map.of())) {
            HealthCheckResponse response = readiness(secrets);
            assertThat(response.status(), is(HealthCheckResponse.Status.DOWN));
            assertThat(detail(response, "vault"), is("unreachable since " + NOW));
            assertThat(detail(response, "vault.error"), startsWith("UncheckedIOException"));
        }
    }
}
