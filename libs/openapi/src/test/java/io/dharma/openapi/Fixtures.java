package io.dharma.openapi;

/**
 * The test document: {@code META-INF/widgets.yaml}, referring to the shared components like a service's document.
 */
final class Fixtures {
    static final String WIDGETS = "META-INF/widgets.yaml";

    private Fixtures() {
    }

    static OpenApi widgets(OpenApiConfig config) {
        return OpenApi.create(config, WIDGETS).orElseThrow();
    }
}
