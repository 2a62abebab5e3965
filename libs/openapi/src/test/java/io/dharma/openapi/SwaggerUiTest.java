package io.dharma.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dharma.errors.Errors;
import io.dharma.errors.ErrorsConfig;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * With {@code openapi.ui.enabled} the document is rendered as a page: the page, its initializer and Swagger UI's
 * script, styles and icons from the webjar, each with its media type and an entity tag, and nothing else below it.
 */
@ServerTest
class SwaggerUiTest {
    private static final OpenApiConfig CONFIG = new OpenApiConfig("/openapi", true, false,
                                                                  new OpenApiConfig.Ui(true, "/openapi/ui"));
    private static final Pattern SCRIPT = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL);

    private final HttpTestClient client;

    SwaggerUiTest(URI uri) {
        this.client = HttpTestClient.create(uri.getPort());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        server.featuresDiscoverServices(false).addFeature(Fixtures.widgets(CONFIG).feature());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.error(Throwable.class, Errors.errorHandler(ErrorsConfig.create(), List.of()))
                .any((req, res) -> res.status(404).send("no route"));
    }

    @Test
    void thePageLoadsSwaggerUiFromTheServiceAndPointsAtTheDocument() {
        Response page = client.get("/openapi/ui");
        assertThat(page.body(), page.status(), is(200));
        assertThat(page.header("Content-Type").orElseThrow(), is("text/html; charset=UTF-8"));
        assertThat(page.header("Cache-Control").orElseThrow(), is("no-cache"));
        assertThat(page.header("Content-Security-Policy").orElseThrow(), is(SwaggerUi.CONTENT_SECURITY_POLICY));
        assertThat(page.body(), containsString("<link rel=\"stylesheet\" href=\"/openapi/ui/swagger-ui.css\">"));
        assertThat(page.body(), containsString("data-document=\"/openapi\""));
        Matcher scripts = SCRIPT.matcher(page.body());
        int count = 0;
        while (scripts.find()) {
            count++;
            // the policy allows no inline script: every script is a file of the service, with nothing inside the tag
            assertThat(scripts.group(1), scripts.group(1).matches(" src=\"/openapi/ui/[a-z-]+\\.js\""), is(true));
            assertThat(scripts.group(2), is(""));
        }
        assertThat(count, is(2));
        assertThat(client.get("/openapi/ui/").body(), is(page.body()));
        assertThat(client.get("/openapi/ui/index.html").body(), is(page.body()));
    }

    @Test
    void scriptsStylesAndIconsHaveTheirMediaTypes() throws IOException {
        String webjar = SwaggerUi.WEBJAR + SwaggerUi.webjarVersion(SwaggerUiTest.class.getClassLoader()) + "/";
        assertFile("swagger-ui-bundle.js", "text/javascript; charset=UTF-8", webjar + "swagger-ui-bundle.js");
        assertFile("swagger-ui.css", "text/css; charset=UTF-8", webjar + "swagger-ui.css");
        assertFile("index.css", "text/css; charset=UTF-8", webjar + "index.css");
        assertFile("favicon-32x32.png", "image/png", webjar + "favicon-32x32.png");
        // ours, not the webjar's initializer (which renders the Petstore)
        Response initializer = assertFile("swagger-initializer.js", "text/javascript; charset=UTF-8",
                                          "META-INF/openapi/ui/swagger-initializer.js");
        assertThat(initializer.body(), containsString("root.dataset.document"));
        assertThat(initializer.body(), not(containsString("petstore")));
    }

    @Test
    void anUnchangedFileIsNotSentAgain() {
        Response first = client.get("/openapi/ui/swagger-ui.css");
        String etag = first.header("ETag").orElseThrow();
        assertThat(etag, etag.matches("\"[0-9a-f]{32}\""), is(true));
        Response again = client.get("/openapi/ui/swagger-ui.css", "If-None-Match", etag);
        assertThat(again.status(), is(304));
        assertThat(again.body(), is(""));
        assertThat(again.header("ETag").orElseThrow(), is(etag));
        assertThat(client.get("/openapi/ui/swagger-ui.css", "If-None-Match", "\"other\"").status(), is(200));
        assertThat(client.get("/openapi/ui", "If-None-Match", etag).status(), is(200));
    }

    @Test
    void anyOtherFileIsANotFoundProblem() {
        for (String path : List.of("/openapi/ui/swagger-ui.js", "/openapi/ui/oauth2-redirect.html", "/openapi/ui/x/index.html",
                                   "/openapi/ui/swagger-ui-standalone-preset.js")) {
            assertProblem(client.get(path), 404, "NOT_FOUND");
        }
        // the document and its shared components are still served beside the page
        assertThat(client.get("/openapi").status(), is(200));
        assertThat(client.get("/openapi/" + OpenApi.SHARED_FILE).status(), is(200));
    }

    @Test
    void thePageFollowsItsPathAndTheDocumentPath() {
        SwaggerUi ui = SwaggerUi.create(SwaggerUiTest.class.getClassLoader(), "/docs", "/api-docs");
        assertThat(ui.page(), containsString("<script src=\"/docs/swagger-ui-bundle.js\"></script>"));
        assertThat(ui.page(), containsString("data-document=\"/api-docs\""));
    }

    private Response assertFile(String name, String contentType, String resource) throws IOException {
        Response res = client.send(client.request("/openapi/ui/" + name).build());
        assertThat(name, res.status(), is(200));
        assertThat(name, res.header("Content-Type").orElseThrow(), is(contentType));
        assertThat(name, res.header("Cache-Control").orElseThrow(), is("no-cache"));
        try (InputStream in = SwaggerUiTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(name, res.raw().headers().firstValueAsLong("Content-Length").orElse(-1),
                       is((long) in.readAllBytes().length));
        }
        return res;
    }
}
