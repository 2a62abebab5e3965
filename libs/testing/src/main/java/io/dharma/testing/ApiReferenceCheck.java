package io.dharma.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The checks {@link SmokeCheck} makes of a service's API reference page ({@code openapi.ui}): served without a token
 * or rate limit under its own policy, and, in a real browser, listing every operation of the service's document.
 */
final class ApiReferenceCheck {
    /** Swagger UI's colour of a GET operation's row and badge ({@code #61affe}). */
    static final int GET_COLOUR = 0x61affe;
    /** Distinct colours a rendered page has at least (about 2,500 for a short document; a one-line error page, about 120). */
    static final int MIN_COLOURS = 500;
    /** Pixels of {@link #GET_COLOUR} when at least one GET operation is painted (one badge is about 60 x 30). */
    static final int MIN_GET_PIXELS = 1000;
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private ApiReferenceCheck() {
    }

    /**
     * The page, its scripts and styles are served without a token and never rate-limited; the page under a policy
     * that allows no inline script; any other file below it is a 404 problem under the API's default policy.
     *
     * @param client   client of the API port, sending no token
     * @param ui       the page's path
     * @param document the document's path
     */
    static void assertServed(HttpTestClient client, String ui, String document) {
        HttpTestClient.Response page = client.get(ui);
        assertThat(page.body(), page.status(), is(200));
        assertThat(page.header("Content-Type").orElse(""), startsWith("text/html"));
        assertThat(page.body(), containsString("<script src=\"" + ui + "/swagger-ui-bundle.js\">"));
        assertThat(page.body(), containsString("data-document=\"" + document + "\""));
        String policy = page.header("Content-Security-Policy").orElse("");
        assertThat(policy, containsString("script-src 'self'"));
        assertThat(policy, not(containsString("unsafe")));
        assertThat(page.header("RateLimit").isPresent(), is(false));
        for (Map.Entry<String, String> file : Map.of("swagger-ui-bundle.js", "text/javascript",
                                                     "swagger-initializer.js", "text/javascript",
                                                     "swagger-ui.css", "text/css").entrySet()) {
            HttpTestClient.Response res = client.get(ui + "/" + file.getKey());
            assertThat(file.getKey(), res.status(), is(200));
            assertThat(file.getKey(), res.header("Content-Type").orElse(""), startsWith(file.getValue()));
        }
        HttpTestClient.Response unknown = client.get(ui + "/no-such-file.js");
        assertProblem(unknown, 404, "NOT_FOUND");
        assertThat(unknown.header("Content-Security-Policy").orElse(""), containsString("default-src 'none'"));
    }

    /**
     * Headless Chromium renders the page: every operation of the document is listed (Swagger UI's
     * {@code opblock} element, by operation id and path), the page breaks no rule of its policy and loads every
     * file, and the screenshot shows a page (many colours, GET operations in their colour), not a blank one.
     *
     * @param client     client of the API port
     * @param ui         the page's path
     * @param document   the document's path
     * @param screenshot where the screenshot is kept for people to look at
     */
    static void assertRendered(HttpTestClient client, String ui, String document, Path screenshot) throws IOException {
        JsonObject spec = client.get(document, "Accept", "application/json").json();
        URI url = client.request(ui).build().uri();
        HeadlessChromium.Page page = HeadlessChromium.load(url, screenshot);

        List<String> missing = new ArrayList<>();
        boolean anyGet = false;
        for (Map.Entry<String, JsonValue> path : spec.getJsonObject("paths").entrySet()) {
            if (!page.dom().contains("data-path=\"" + path.getKey() + "\"")) {
                missing.add(path.getKey());
            }
            for (String method : METHODS) {
                JsonObject operation = path.getValue().asJsonObject().getJsonObject(method);
                if (operation == null) {
                    continue;
                }
                anyGet |= method.equals("get");
                String id = operation.getString("operationId", "");
                Pattern block = Pattern.compile("class=\"opblock opblock-" + method + "[^\"]*\" id=\"operations-[^\"]*-"
                                                        + Pattern.quote(id) + "\"");
                if (!id.isEmpty() && !block.matcher(page.dom()).find()) {
                    missing.add(method.toUpperCase() + " " + path.getKey() + " (" + id + ")");
                }
            }
        }
        assertThat("operations not listed on " + url + ":\n" + page.dom(), missing, empty());
        List<String> problems = page.console().stream()
                .filter(line -> line.contains("Content Security Policy") || line.contains("Failed to load resource"))
                .toList();
        assertThat("policy violations or failed loads on " + url, problems, empty());

        assertThat(screenshot + " written", Files.size(screenshot), greaterThanOrEqualTo(10_000L));
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image.getWidth(), is(HeadlessChromium.WIDTH));
        assertThat(image.getHeight(), is(HeadlessChromium.HEIGHT));
        Set<Integer> colours = new HashSet<>();
        int getPixels = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                getPixels += rgb == GET_COLOUR ? 1 : 0;
            }
        }
        assertThat("distinct colours in " + screenshot, colours.size(), greaterThanOrEqualTo(MIN_COLOURS));
        if (anyGet) {
            assertThat("pixels of the GET colour in " + screenshot, getPixels, greaterThanOrEqualTo(MIN_GET_PIXELS));
        }
    }
}
