package io.dharma.secrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;

import org.junit.jupiter.api.Test;

import static io.dharma.secrets.Fixtures.config;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretsConfigTest {
    @Test
    void defaultsAreFilesThenEnvironment() {
        SecretsConfig config = SecretsConfig.create(Config.empty().get("secrets"));
        assertThat(config.sources(), is(List.of("files", "env")));
        assertThat(config.refreshInterval(), is(Duration.ofMinutes(5)));
        assertThat(config.retryInterval(), is(Duration.ofSeconds(10)));
        assertThat(config.required(), is(List.of()));
        assertThat(config.envPrefix(), is("SECRET_"));
        assertThat(config.filesDirectory(), is(Path.of("/var/run/secrets/dharma")));
        assertThat(config.vault(), is(Optional.empty()));
    }

    @Test
    void vaultComesFirstWhenItsAddressIsSet() {
        SecretsConfig config = SecretsConfig.create(config(Map.of("secrets.vault.address", "https://vault:8200/",
                                                                  "secrets.vault.path", "/blueprint-service/",
                                                                  "secrets.vault.token", "s.token-1")));
        assertThat(config.sources(), is(List.of("vault", "files", "env")));
        SecretsConfig.VaultConfig vault = config.vault().orElseThrow();
        assertThat(vault.address(), is("https://vault:8200"));
        assertThat(vault.mount(), is("secret"));
        assertThat(vault.path(), is("blueprint-service"));
        assertThat(vault.timeout(), is(Duration.ofSeconds(2)));
        assertThat(vault.approle(), is(false));
    }

    @Test
    void listsAcceptACommaSeparatedValueAsFromTheEnvironment() {
        SecretsConfig config = SecretsConfig.create(config(Map.of("secrets.sources", "env, files",
                                                                  "secrets.required", "jwt-signing-key,redis-password",
                                                                  "secrets.refresh-interval", "PT1M",
                                                                  "secrets.retry-interval", "PT2M")));
        assertThat(config.sources(), is(List.of("env", "files")));
        assertThat(config.required(), is(List.of("jwt-signing-key", "redis-password")));
        assertThat("retry is capped by the refresh interval", config.retryInterval(), is(Duration.ofMinutes(1)));
    }

    @Test
    void tokenAndSecretIdAreNotPrinted() {
        SecretsConfig config = SecretsConfig.create(config(Map.of("secrets.vault.address", "http://127.0.0.1:8200",
                                                                  "secrets.vault.path", "svc",
                                                                  "secrets.vault.approle.role-id", "role-1",
                                                                  "secrets.vault.approle.secret-id", "secret-id-42")));
        assertThat(config.toString(), not(containsString("secret-id-42")));
        assertThat(config.toString(), containsString("auth=approle"));
    }

    @Test
    void kubernetesAuthDefaults() {
        SecretsConfig config = SecretsConfig.create(config(Map.of("secrets.vault.address", "http://127.0.0.1:8200",
                                                                  "secrets.vault.path", "svc",
                                                                  "secrets.vault.kubernetes.role", "blueprint")));
        SecretsConfig.VaultConfig vault = config.vault().orElseThrow();
        SecretsConfig.KubernetesAuth kubernetes = vault.kubernetes().orElseThrow();
        assertThat(kubernetes.role(), is("blueprint"));
        assertThat(kubernetes.path(), is("kubernetes"));
        assertThat(kubernetes.jwtPath(), is(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token")));
        assertThat(vault.login(), is(true));
        assertThat(config.toString(), containsString("auth=kubernetes"));
    }

    @Test
    void invalidValuesAreConfigurationErrors() {
        assertInvalid(Map.of("secrets.sources", "vault,env"), "secrets.vault.address is not set");
        assertInvalid(Map.of("secrets.sources", "files,consul"), "unknown source 'consul'");
        assertInvalid(Map.of("secrets.sources", "env,env"), "twice");
        assertInvalid(Map.of("secrets.refresh-interval", "5 minutes"), "ISO-8601");
        assertInvalid(Map.of("secrets.refresh-interval", "PT0S"), "must be positive");
        assertInvalid(Map.of("secrets.env.prefix", " "), "secrets.env.prefix");
        Map<String, String> vault = Map.of("secrets.vault.address", "http://vault:8200", "secrets.vault.path", "svc");
        assertInvalid(vault, "exactly one auth");
        assertInvalid(merge(vault, "secrets.vault.token", "t-1234", "secrets.vault.approle.role-id", "r",
                            "secrets.vault.approle.secret-id", "s"), "exactly one auth");
        assertInvalid(merge(vault, "secrets.vault.approle.role-id", "r"), "both role-id and secret-id");
        assertInvalid(merge(vault, "secrets.vault.token", "t-1234", "secrets.vault.kubernetes.role", "r"),
                      "exactly one auth");
        assertInvalid(merge(vault, "secrets.vault.kubernetes.role", "r", "secrets.vault.kubernetes.path", "/"),
                      "secrets.vault.kubernetes.path");
        assertInvalid(Map.of("secrets.vault.address", "vault:8200", "secrets.vault.path", "svc",
                             "secrets.vault.token", "t-1234"), "http or https URL");
        assertInvalid(Map.of("secrets.vault.address", "http://vault:8200", "secrets.vault.token", "t-1234"),
                      "secrets.vault.path");
    }

    private static void assertInvalid(Map<String, String> settings, String message) {
        SecretsConfigException e = assertThrows(SecretsConfigException.class, () -> SecretsConfig.create(config(settings)));
        assertThat(e.getMessage(), containsString(message));
    }

    private static Map<String, String> merge(Map<String, String> base, String... pairs) {
        Map<String, String> merged = Fixtures.with(pairs);
        merged.putAll(base);
        return merged;
    }
}
