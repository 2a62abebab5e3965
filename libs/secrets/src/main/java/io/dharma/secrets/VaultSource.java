package io.dharma.secrets;

import java.util.Map;

import io.helidon.http.Status;
import io.helidon.integrations.common.rest.ApiRestException;
import io.helidon.integrations.vault.Vault;
import io.helidon.integrations.vault.auths.approle.AppRoleVaultAuth;
import io.helidon.integrations.vault.auths.token.TokenVaultAuth;
import io.helidon.integrations.vault.secrets.kv2.Kv2Secret;
import io.helidon.integrations.vault.secrets.kv2.Kv2Secrets;

import io.dharma.logging.Redactor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KV v2 document in Vault, read with Helidon's {@link Kv2Secrets}; each key of the document is a secret name.
 * A missing (or deleted) document is an answer with no secrets, not a failure.
 * <p>
 * Auth is a token, or AppRole: Helidon's AppRole client logs in on its first call and again when a renewable token's
 * lease has run out. A token revoked earlier makes reads answer 403; then this source builds a new client, which logs
 * in again, and retries the read once.
 */
final class VaultSource implements SecretSource {
    private static final Logger LOGGER = LoggerFactory.getLogger(VaultSource.class);

    private final SecretsConfig.VaultConfig config;
    // replaced after a 403 with AppRole auth; only the refresh (one at a time) uses it
    private volatile Kv2Secrets kv;

    VaultSource(SecretsConfig.VaultConfig config) {
        this.config = config;
        config.token().ifPresent(Redactor::registerSecret);
        config.roleId().ifPresent(Redactor::registerSecret);
        config.secretId().ifPresent(Redactor::registerSecret);
        this.kv = connect();
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
        try {
            return read(kv);
        } catch (ApiRestException e) {
            if (!config.approle() || e.status() != Status.FORBIDDEN_403) {
                throw e;
            }
            LOGGER.info("Vault denied the AppRole token for {}/{}; logging in again", config.mount(), config.path());
            kv = connect();
            return read(kv);
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
        } else {
            vault.addVaultAuth(TokenVaultAuth.builder().token(config.token().orElseThrow()).build());
        }
        return vault.build().secrets(Kv2Secrets.ENGINE, config.mount());
    }
}
