package io.dharma.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The document is served as checked in (YAML, or JSON on request), ahead of an application's catch-all route, and the
 * shared components beside it, where its relative references resolve.
 */
@ServerTest
class ServingTest {
    private final HttpTestClient client;

    ServingTest(URI uri) {
        this.client = HttpTestClient.create(uri.getPort());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        server.featuresDiscoverServices(false).addFeature(Fixtures.widgets(OpenApiConfig.create()).feature());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        // like DharmaService's 404 / 405 route: the document must be routed before it
        routing.any((req, res) -> res.status(404).send("no route"));
    }

    @Test
    void theDocumentIsServedAsCheckedIn() throws IOException {
        Response yaml = client.get("/openapi");
        assertThat(yaml.body(), yaml.status(), is(200));
        assertThat(yaml.header("Content-Type").orElseThrow(), startsWith("application/vnd.oai.openapi"));
        Object checkedIn = new Yaml().load(resource(Fixtures.WIDGETS));
        assertThat(new Yaml().load(yaml.body()), is(checkedIn));
        Response json = client.get("/openapi", "Accept", "application/json");
        assertThat(json.header("Content-Type").orElseThrow(), startsWith("application/json"));
        assertThat(new Yaml().load(json.body()), is(checkedIn));
        assertThat(new Yaml().load(client.get("/openapi?format=JSON").body()), is(checkedIn));
    }

    @Test
    void theSharedComponentsAreServedWhereTheReferencesPoint() throws IOException {
        Response shared = client.get("/openapi/" + OpenApi.SHARED_FILE);
        assertThat(shared.status(), is(200));
        assertThat(shared.header("Content-Type").orElseThrow(), startsWith("application/yaml"));
        assertThat(shared.body(), is(resource(OpenApi.SHARED_DOCUMENT)));
        // RFC 3986: 'openapi/problem.yaml' from /openapi resolves to /openapi/problem.yaml
        assertThat(URI.create("http://host/openapi").resolve("openapi/problem.yaml").getPath(),
                   is("/openapi/" + OpenApi.SHARED_FILE));
        assertThat(client.get("/elsewhere").status(), is(404));
    }

    @Test
    void theApiReferencePageIsOffUnlessTurnedOn() {
        assertThat(client.get("/openapi/ui").status(), is(404));
        assertThat(client.get("/openapi/ui/swagger-ui-bundle.js").body(), is("no route"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ServingTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
