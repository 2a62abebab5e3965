package io.dharma.secrets;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Environment variables: secret {@code jwt-signing-key} is {@code SECRET_JWT_SIGNING_KEY} (the prefix, then the name
 * upper-cased with {@code -} and {@code .} turned into {@code _}).
 */
final class EnvSource implements SecretSource {
    private final String prefix;
    private final Map<String, String> environment;

    EnvSource(String prefix, Map<String, String> environment) {
        this.prefix = prefix;
        this.environment = environment;
    }

    @Override
    public String id() {
        return SecretsConfig.ENV;
    }

    @Override
    public String key(String name) {
        return prefix + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    @Override
    public Map<String, String> load() {
        Map<String, String> values = new HashMap<>();
        environment.forEach((variable, value) -> {
            if (variable.startsWith(prefix) && variable.length() > prefix.length()) {
                values.put(variable, value);
            }
        });
        return Map.copyOf(values);
    }
}
