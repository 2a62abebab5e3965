package io.dharma.bench.bare;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The baseline of bench/lean.sh: bare Helidon 4.1.2 answering blueprint-service's routes with the same JSON, prepared
 * once as bytes. No configuration, filters, security, validation, logging or metrics: what the pipeline is compared to.
 * <p>
 * {@code GET /api/v1/blueprints/{id}}: 200 with the blueprint for {@code BARE_ID}, 404 problem for any other id, 401
 * problem when the {@code Authorization} header is not {@code Bearer BARE_TOKEN} (any bearer token when unset).
 * {@code GET /api/v1/blueprints}: a list page. {@code POST /api/v1/blueprints}: reads the body, 201 with Location.
 * {@code GET /api/v1/limited/{id}}: the 429 problem with rate-limit headers. {@code GET /health/ready}: 200.
 * Environment: {@code PORT} (default 18190), {@code BARE_ID}, {@code BARE_TOKEN}.
 */
public final class BareMain {
    private static final String ID = env("BARE_ID", "df28a389-7315-430b-9d2c-ee794d3e5083");
    private static final String AUTHORIZATION = env("BARE_TOKEN", "").isEmpty() ? "" : "Bearer " + env("BARE_TOKEN", "");
    private static final String PATH = "/api/v1/blueprints";
    private static final String BLUEPRINT_FIELDS = """
            "createdAt":"2026-12-04T16:34:06.041708Z","description":"benchmark blueprint","id":"%s",\
            "name":"bench-blueprint","ownerId":"bench-user"%s,"status":"draft","targetCloud":"aws",\
            "updatedAt":"2026-12-04T16:34:06.041708Z","version":1""";
    private static final String RESOURCES = """
            ,"resources":[{"count":2,"region":"eu-west-1","size":"small","type":"vm"},\
            {"count":1,"region":"eu-west-1","size":"standard","type":"bucket"}]""";
    private static final byte[] BLUEPRINT = bytes("{" + BLUEPRINT_FIELDS.formatted(ID, RESOURCES) + "}");
    private static final byte[] PAGE = bytes("{\"data\":[{" + BLUEPRINT_FIELDS.formatted(ID, "") + "}],\"page\":{\"limit\":10}}");
    private static final byte[] UNAUTHORIZED = problem("invalid-token", "Invalid token", 401, "The bearer token is not valid",
                                                       "INVALID_TOKEN", "");
    private static final byte[] NOT_FOUND = problem("not-found", "Not found", 404, "Blueprint does not exist", "NOT_FOUND", "");
    private static final byte[] TOO_MANY = problem("rate-limit-exceeded", "Rate limit exceeded", 429,
                                                   "Rate limit 'ip' exceeded; retry after 74 s", "RATE_LIMIT_EXCEEDED",
                                                   ",\"policy\":\"ip\",\"retryAfter\":74");
    private static final byte[] UP = bytes("{\"status\":\"UP\"}");

    private BareMain() {
    }

    /**
     * Starts the server.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        WebServer server = WebServer.builder()
                .port(Integer.parseInt(env("PORT", "18190")))
                .routing(BareMain::routing)
                .build()
                .start();
        System.out.println("bare-helidon listening on " + server.port());
    }

    static void routing(HttpRouting.Builder routing) {
        routing.get("/health/ready", (req, res) -> json(res, Status.OK_200, UP))
                .get(PATH + "/{id}", BareMain::get)
                .get(PATH, (req, res) -> {
                    if (authorized(req, res)) {
                        json(res, Status.OK_200, PAGE);
                    }
                })
                .post(PATH, (req, res) -> {
                    req.content().as(byte[].class);
                    if (authorized(req, res)) {
                        res.header(HeaderNames.LOCATION, PATH + "/" + ID).header(HeaderNames.ETAG, "\"1\"");
                        json(res, Status.CREATED_201, BLUEPRINT);
                    }
                })
                .get("/api/v1/limited/{id}", (req, res) -> {
                    res.header(HeaderNames.RETRY_AFTER, "74")
                            .header("RateLimit", "\"ip\";r=0;t=899")
                            .header("RateLimit-Policy", "\"ip\";q=12;w=900");
                    problem(res, Status.TOO_MANY_REQUESTS_429, TOO_MANY);
                });
    }

    private static void get(ServerRequest req, ServerResponse res) {
        if (!authorized(req, res)) {
            return;
        }
        if (ID.equals(req.path().pathParameters().get("id"))) {
            res.header(HeaderNames.ETAG, "\"1\"");
            json(res, Status.OK_200, BLUEPRINT);
        } else {
            problem(res, Status.NOT_FOUND_404, NOT_FOUND);
        }
    }

    private static boolean authorized(ServerRequest req, ServerResponse res) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        boolean ok = header.isPresent() && (AUTHORIZATION.isEmpty() ? header.get().startsWith("Bearer ")
                : AUTHORIZATION.equals(header.get()));
        if (!ok) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"bare-helidon\", error=\"invalid_token\"");
            problem(res, Status.UNAUTHORIZED_401, UNAUTHORIZED);
        }
        return ok;
    }

    private static void json(ServerResponse res, Status status, byte[] body) {
        res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send(body);
    }

    private static void problem(ServerResponse res, Status status, byte[] body) {
        res.status(status).header(HeaderNames.CONTENT_TYPE, "application/problem+json").send(body);
    }

    private static byte[] problem(String type, String title, int status, String detail, String code, String extra) {
        return bytes("{\"type\":\"https://dharma.io/problems/" + type + "\",\"title\":\"" + title + "\",\"status\":" + status
                             + ",\"detail\":\"" + detail + "\",\"instance\":\"" + PATH + "/" + ID + "\",\"code\":\"" + code
                             + "\"" + extra + "}");
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
