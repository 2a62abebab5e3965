package io.dharma.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import io.dharma.logging.Redactor;

import io.helidon.http.Status;
import io.helidon.integrations.common.rest.ApiRestException;
import io.helidon.integrations.vault.Vault;
import io.helidon.integrations.vault.auths.approle.AppRoleVaultAuth;
import io.helidon.integrations.vault.auths.k8s.K8sVaultAuth;
import io.helidon.integrations.vault.auths.token.TokenVaultAuth;
import io.helidon.integrations.vault.secrets.kv2.Kv2Secret;
import io.helidon.integrations.vault.secrets.kv2.Kv2Secrets;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KV v2 document in Vault, read with Helidon's {@link Kv2Secrets}; each key of the document is a secret name.
 * A missing (or deleted) document is an answer with no secrets, not a failure.
 * <p>
 * Auth is a token, AppRole or Kubernetes: Helidon's AppRole and Kubernetes clients log in on their first call
 * ({@code POST /v1/auth/<path>/login}) and again when a renewable token's lease has run out. A token revoked earlier
 * makes reads answer 403; then this source builds a new client, which logs in again, and retries the read once. The
 * Kubernetes client is built with the service account token read from its file at that moment, so a rotated
 * (projected) service account token is picked up by the next login. The client is built on the first load, so a
 * missing token file is a failing source (readiness reports it), not a failed start.
 */
final class VaultSource implements SecretSource {
    private static final Logger LOGGER = LoggerFactory.getLogger(VaultSource.class);

    private final SecretsConfig.VaultConfig config;
    // built by the first load, replaced after a 403 with a login auth; only the refresh (one at a time) uses it
    private volatile @Nullable Kv2Secrets kv;

    VaultSource(SecretsConfig.VaultConfig config) {
        this.config = config;
        config.token().ifPresent(Redactor::registerSecret);
        config.roleId().ifPresent(Redactor::registerSecret);
        config.secretId().ifPresent(Redactor::registerSecret);
    }

    @Override
    public String id() {
        return SecretsConfig.VAULT;
    }

    @Override
    public String key(String name) {
        return name;
    }

    @Override
    public Map<String, String> load() {
        Kv2Secrets current = kv;
        if (current == null) {
            current = connect();
            kv = current;
        }
        try {
            return read(current);
        } catch (ApiRestException e) {
            if (!config.login() || e.status() != Status.FORBIDDEN_403) {
                throw e;
            }
            LOGGER.info("Vault denied the {} token for {}/{}; logging in again", config.auth(), config.mount(), config.path());
            current = connect();
            kv = current;
            return read(current);
        }
    }

    private Map<String, String> read(Kv2Secrets secrets) {
        return secrets.get(config.path()).map(Kv2Secret::values).orElse(Map.of());
    }

    private Kv2Secrets connect() {
        Vault.Builder vault = Vault.builder()
                .address(config.address())
                .disableVaultAuthDiscovery()
                .updateWebClient(client -> client.connectTimeout(config.timeout()).readTimeout(config.timeout()));
        if (config.approle()) {
            vault.addVaultAuth(AppRoleVaultAuth.builder()
                                       .appRoleId(config.roleId().orElseThrow())
                                       .secretId(config.secretId().orElseThrow())
                                       .path(config.approlePath())
                                       .build());
        } else if (config.kubernetes().isPresent()) {
            SecretsConfig.KubernetesAuth kubernetes = config.kubernetes().get();
            vault.addVaultAuth(K8sVaultAuth.builder()
                                       .serviceAccountToken(serviceAccountToken(kubernetes))
                                       .tokenRole(kubernetes.role())
                                       .path(kubernetes.path())
                                       .build());
        } else {
            vault.addVaultAuth(TokenVaultAuth.builder().token(config.token().orElseThrow()).build());
        }
        return vault.build().secrets(Kv2Secrets.ENGINE, config.mount());
    }

    private static String serviceAccountToken(SecretsConfig.KubernetesAuth kubernetes) {
        String jwt;
        try {
            jwt = Files.readString(kubernetes.jwtPath()).strip();
        } catch (IOException e) {
            // the message names the file only
            throw new UncheckedIOException("Cannot read the service account token " + kubernetes.jwtPath(), e);
        }
        if (jwt.isEmpty()) {
            throw new UncheckedIOException(new IOException("The service account token file is empty: " + kubernetes.jwtPath()));
        }
        Redactor.registerSecret(jwt);
        return jwt;
    }
}
