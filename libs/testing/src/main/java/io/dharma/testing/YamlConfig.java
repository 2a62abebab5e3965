package io.dharma.testing;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** Configuration written as YAML in a test, read the way a service reads its {@code application.yaml}. */
public final class YamlConfig {
    private YamlConfig() {
    }

    /**
     * Configuration from YAML text, nothing else (no environment, no system properties).
     *
     * @param yaml the document, root keys included ({@code cache:}, {@code rate-limit:} ...)
     * @return its configuration
     */
    public static Config parse(String yaml) {
        return Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML));
    }
}
