package io.dharma.openapi;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpenApiConfigTest {
    @Test
    void defaults() {
        OpenApiConfig config = OpenApiConfig.create(Config.empty().get("openapi"));
        assertThat(config, is(OpenApiConfig.create()));
        assertThat(config.path(), is("/openapi"));
        assertThat(config.validateRequests(), is(true));
        assertThat(config.validateResponses(), is(false));
        assertThat(config.ui(), is(new OpenApiConfig.Ui(false, "/openapi/ui")));
    }

    @Test
    void everyKeyIsRead() {
        Config config = Config.just(ConfigSources.create(Map.of("openapi.path", "/api-docs",
                                                                "openapi.validate-requests", "false",
                                                                "openapi.validate-responses", "true")));
        assertThat(OpenApiConfig.create(config.get("openapi")), is(new OpenApiConfig("/api-docs", false, true)));
        Config ui = Config.just(ConfigSources.create(Map.of("openapi.ui.enabled", "true", "openapi.ui.path", "/docs")));
        assertThat(OpenApiConfig.create(ui.get("openapi")).ui(), is(new OpenApiConfig.Ui(true, "/docs")));
    }

    @Test
    void thePageFollowsTheDocumentUnlessPlacedElsewhere() {
        Config config = Config.just(ConfigSources.create(Map.of("openapi.path", "/api-docs", "openapi.ui.enabled", "true")));
        assertThat(OpenApiConfig.create(config.get("openapi")).ui(), is(new OpenApiConfig.Ui(true, "/api-docs/ui")));
        assertThrows(OpenApiConfigException.class, () -> new OpenApiConfig.Ui(true, "/docs/"));
        for (String clash : new String[] {"/openapi", "/openapi/problem.yaml"}) {
            assertThat(assertThrows(OpenApiConfigException.class,
                                    () -> new OpenApiConfig("/openapi", true, false, new OpenApiConfig.Ui(true, clash)))
                               .getMessage(), containsString("openapi.ui.path"));
        }
    }

    @Test
    void filtersFollowTheSwitches() {
        OpenApi off = Fixtures.widgets(new OpenApiConfig("/openapi", false, false));
        assertThat(off.requestValidation().isPresent(), is(false));
        assertThat(off.responseValidation().isPresent(), is(false));
        OpenApi on = Fixtures.widgets(new OpenApiConfig("/openapi", true, true));
        assertThat(on.requestValidation().isPresent(), is(true));
        assertThat(on.responseValidation().isPresent(), is(true));
    }

    @Test
    void pathMustBeAbsolute() {
        assertThat(assertThrows(OpenApiConfigException.class, () -> new OpenApiConfig("openapi", true, false))
                           .getMessage(), containsString("openapi.path"));
        assertThrows(OpenApiConfigException.class, () -> new OpenApiConfig("/openapi/", true, false));
    }
}
