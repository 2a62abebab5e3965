package io.dharma.errors;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The {@code errors} node: every key read, defaults for missing ones, a body limit that must be positive. */
class ErrorsConfigTest {
    @Test
    void everyKeyIsRead() {
        Config config = Config.just(ConfigSources.create(Map.of(
                "errors.type-base", "https://example.test/p/",
                "errors.max-body-size", "2048",
                "errors.json-paths.0", "/v2/",
                "errors.json-paths.1", "/api/")));
        ErrorsConfig errors = ErrorsConfig.create(config.get("errors"));
        assertThat(errors, is(new ErrorsConfig("https://example.test/p/", 2048, List.of("/v2/", "/api/"))));
    }

    @Test
    void aMissingNodeGivesTheDefaults() {
        ErrorsConfig errors = ErrorsConfig.create(Config.empty().get("errors"));
        assertThat(errors, is(ErrorsConfig.create()));
        assertThat(errors.maxBodySize(), is(1024L * 1024));
        assertThat(errors.jsonPaths(), is(List.of("/api/")));
    }

    @Test
    void theBodyLimitMustBePositive() {
        ErrorsConfigException e = assertThrows(ErrorsConfigException.class,
                                               () -> new ErrorsConfig("https://x/", 0, List.of()));
        assertThat(e.getMessage(), containsString("errors.max-body-size"));
    }
}
