package io.dharma.services.cost;

import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.HttpTestClient.Response;
import io.dharma.testing.Tokens;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The estimate API against a real running service (real socket, real database seeded by the migrations); one subclass
 * per database. Expected amounts are worked out by hand from {@code V2__list_prices.sql}.
 */
abstract class AbstractCostServiceTest {
    static final String ESTIMATE = CostService.PATH + "/estimate";
    static final String SIGNING_KEY = Tokens.randomSecret();
    static final Tokens TOKENS = Tokens.hmac(SIGNING_KEY);
    static final String TOKEN = "Bearer " + TOKENS.valid("estimator", List.of(), "enterprise");
    private static DharmaService service;
    private static HttpTestClient client;

    static void start(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(overrides);
        config.put("server.port", "0");
        config.put("management.port", "0");
        config.put("server.host", "127.0.0.1");
        config.put("security.jwt.hmac-secret", SIGNING_KEY);
        config.put("security.jwt.issuer", Tokens.ISSUER);
        config.put("security.jwt.audience", Tokens.AUDIENCE);
        config.put("rate-limit.policies.ip.capacity", "1000000");
        // every response checked against META-INF/openapi.yaml: one that breaks it becomes a 500 naming the violation
        config.put("openapi.validate-responses", "true");
        service = Main.start(DharmaService.builder(Main.NAME)
                                     .config(Config.just(ConfigSources.create(config),
                                                         ConfigSources.classpath("application.yaml")))
                                     .shutdownHook(false));
        client = HttpTestClient.create(service.port());
    }

    static DharmaService service() {
        return service;
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.stop();
        }
    }

    static Response estimate(String body) {
        return client.json("POST", ESTIMATE, body, "Authorization", TOKEN);
    }

    static String resource(String type, String size, int count, String region, String cloud) {
        return """
                {"type": "%s", "size": "%s", "count": %d, "region": "%s", "cloud": "%s"}"""
                .formatted(type, size, count, region, cloud);
    }

    @Test
    void estimatesEveryResourceAndTheTotal() {
        Response response = estimate("{\"resources\": [" + resource("vm", "medium", 3, "eu-west-1", "aws") + ", "
                                             + resource("database", "large", 1, "us-central1", "gcp") + ", "
                                             + resource("bucket", "small", 2, "westeurope", "azure") + "]}");
        assertThat(response.body(), response.status(), is(200));
        JsonObject estimate = response.json();
        assertThat(estimate.getString("currency"), is("USD"));
        JsonArray lines = estimate.getJsonArray("resources");
        // aws vm medium 30.00 × 1.08 (eu-west-1) = 32.40, × 3
        assertThat(lines.getJsonObject(0).getJsonNumber("unitMonthly").bigDecimalValue().toPlainString(), is("32.40"));
        assertThat(lines.getJsonObject(0).getJsonNumber("monthly").bigDecimalValue().toPlainString(), is("97.20"));
        assertThat(lines.getJsonObject(0).getString("region"), is("eu-west-1"));
        // gcp database large 100.00 × 0.97 = 97.00 in the reference region
        assertThat(lines.getJsonObject(1).getJsonNumber("monthly").bigDecimalValue().toPlainString(), is("97.00"));
        // azure bucket small 2.30 × 1.04 = 2.392, × 1.09 (westeurope) = 2.60728, × 2 = 5.21456
        assertThat(lines.getJsonObject(2).getJsonNumber("unitMonthly").bigDecimalValue().toPlainString(), is("2.61"));
        assertThat(lines.getJsonObject(2).getJsonNumber("monthly").bigDecimalValue().toPlainString(), is("5.21"));
        assertThat(estimate.getJsonNumber("monthlyTotal").bigDecimalValue().toPlainString(), is("199.41"));
    }

    @Test
    void unpricedResourcesAreValidationErrorsNamingTheField() {
        Response response = estimate("{\"resources\": [" + resource("vm", "small", 1, "us-east-1", "aws") + ", "
                                             + resource("quantum", "small", 1, "us-east-1", "aws") + ", "
                                             + resource("vm", "huge", 1, "us-east-1", "aws") + ", "
                                             + resource("vm", "small", 1, "mars-north-1", "aws") + "]}");
        JsonObject problem = assertProblem(response, 400, "VALIDATION_FAILED");
        List<String> fields = problem.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("field"))
                .toList();
        assertThat(fields, containsInAnyOrder("/resources/1/type", "/resources/2/size", "/resources/3/region"));
        assertThat(problem.toString(), containsString("mars-north-1"));
    }

    @Test
    void malformedRequestsAreRejected() {
        JsonObject empty = assertProblem(estimate("{\"resources\": []}"), 400, "VALIDATION_FAILED");
        assertThat(empty.getJsonArray("errors").getJsonObject(0).getString("field"), is("/resources"));
        JsonObject broken = assertProblem(estimate("{\"resources\": [{\"type\": \"vm\", \"count\": 0, \"cloud\": \"ibm\"}]}"),
                                          400, "VALIDATION_FAILED");
        List<String> fields = broken.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("field"))
                .toList();
        assertThat(fields, containsInAnyOrder("/resources/0/size", "/resources/0/count", "/resources/0/region",
                                              "/resources/0/cloud"));
        assertProblem(estimate("{\"resources\": ["), 400, "MALFORMED_JSON");
        assertProblem(client.json("POST", ESTIMATE, "{\"resources\": []}"), 401, "MISSING_TOKEN");
        assertProblem(client.get(ESTIMATE, "Authorization", TOKEN), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void requestsThatBreakTheContractNeverReachTheHandler() {
        double handled = answeredByHandler();
        Map<String, String> rejected = new LinkedHashMap<>();
        rejected.put("{}", "/resources: is required");
        rejected.put("{\"resources\": [" + resource("vm", "small", 1, "us-east-1", "aws").replace("1,", "\"one\",") + "]}",
                     "/resources/0/count: must be of type integer");
        rejected.put("{\"resources\": [" + resource("vm", "small", 1, "us-east-1", "oracle") + "]}",
                     "/resources/0/cloud: must be one of aws, azure, gcp");
        rejected.put("{\"resources\": [" + resource("vm", "s".repeat(51), 1, "us-east-1", "aws") + "]}",
                     "/resources/0/size: must match ^[A-Za-z0-9._-]{1,50}$");
        rejected.put("{\"resources\": [" + resource("vm", "small", 1, "us-east-1", "aws") + "], \"currency\": \"EUR\"}",
                     "/currency: is not allowed");
        rejected.forEach((body, field) -> {
            JsonObject problem = assertProblem(estimate(body), 400, "VALIDATION_FAILED");
            assertThat(body, problem.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                    .map(e -> e.getString("field") + ": " + e.getString("message"))
                    .toList(), containsInAnyOrder(field));
        });
        assertThat(assertProblem(estimate("{\"resources\": ["), 400, "MALFORMED_JSON").getString("detail"),
                   is("The request body is not valid JSON of the expected shape"));
        assertProblem(client.send(client.request(ESTIMATE).header("Authorization", TOKEN)
                                          .header("Content-Type", "application/vnd.api+json")
                                          .POST(HttpRequest.BodyPublishers.ofString("{\"resources\": []}")).build()),
                      415, "UNSUPPORTED_MEDIA_TYPE");
        JsonObject query = assertProblem(client.json("POST", ESTIMATE + "?currency=EUR",
                                                     "{\"resources\": [" + resource("vm", "small", 1, "us-east-1", "aws") + "]}",
                                                     "Authorization", TOKEN), 400, "VALIDATION_FAILED");
        assertThat(query.getJsonArray("errors").getJsonObject(0).getString("field"), is("query/currency"));
        // the handler labels its answers with the route template; the validation answered before any route matched
        assertThat(answeredByHandler(), is(handled));
    }

    /** Answers of the estimate route (all statuses) that a handler gave, from /metrics. */
    private static double answeredByHandler() {
        return HttpTestClient.create(service.managementPort()).get("/metrics").body().lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count{") && l.contains("uri=\"" + ESTIMATE + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
