package io.dharma.openapi;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import io.helidon.common.Weighted;
import io.helidon.http.HeaderNames;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.spi.ServerFeature;

/**
 * Serves the service's document at {@code openapi.path} with helidon-openapi (YAML, or JSON on
 * {@code Accept: application/json} / {@code ?format=JSON}), exactly as checked in, and the shared components it
 * refers to at {@code openapi.path + "/problem.yaml"}, where its relative references resolve; with
 * {@code openapi.ui.enabled}, the API reference page at {@code openapi.ui.path}.
 */
final class Serving implements ServerFeature, Weighted {
    /** Above the application routing (100), whose last route answers 404 / 405 for every path. */
    static final double WEIGHT = 110;
    private static final String TYPE = "dharma-openapi";

    private final OpenApiFeature document;
    private final String sharedPath;
    private final byte[] shared;
    private final Optional<SwaggerUi> ui;

    Serving(String path, String resource, byte[] shared, Optional<SwaggerUi> ui) {
        this.document = OpenApiFeature.builder().webContext(path).staticFile(resource).build();
        this.sharedPath = path + "/" + OpenApi.SHARED_FILE;
        this.shared = shared.clone();
        this.ui = ui;
    }

    @Override
    public void setup(ServerFeatureContext featureContext) {
        document.setup(featureContext);
        Set<String> sockets = new HashSet<>(featureContext.sockets());
        sockets.add(WebServer.DEFAULT_SOCKET_NAME);
        for (String socket : sockets) {
            featureContext.socket(socket).httpRouting().addFeature(routing -> {
                routing.get(sharedPath, (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/yaml");
                    res.send(shared);
                });
                ui.ifPresent(page -> page.routing(routing));
            });
        }
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public double weight() {
        return WEIGHT;
    }
}
