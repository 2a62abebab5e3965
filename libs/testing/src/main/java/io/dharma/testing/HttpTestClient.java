package io.dharma.testing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

/**
 * A small blocking HTTP client for black-box tests of a running service (JDK {@link HttpClient}, so requests are
 * exactly what a client sends: no Helidon shortcuts).
 */
public final class HttpTestClient {
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    private HttpTestClient(URI base) {
        this.base = base;
    }

    /**
     * Client for a service on a loopback port.
     *
     * @param port port
     * @return client
     */
    public static HttpTestClient create(int port) {
        return new HttpTestClient(URI.create("http://127.0.0.1:" + port));
    }

    /**
     * Start a request to a path (with query) on the service.
     *
     * @param path path and query
     * @return request builder with a 10 s timeout
     */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    }

    /**
     * GET a path.
     *
     * @param path path and query
     * @return response
     */
    public Response get(String path) {
        return send(request(path).GET().build());
    }

    /**
     * GET a path with headers.
     *
     * @param path    path and query
     * @param headers header name/value pairs
     * @return response
     */
    public Response get(String path, String... headers) {
        HttpRequest.Builder request = request(path).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    /**
     * Send a JSON body with a method.
     *
     * @param method HTTP method
     * @param path   path
     * @param json   body
     * @param headers header name/value pairs
     * @return response
     */
    public Response json(String method, String path, String json, String... headers) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    /**
     * Send a request.
     *
     * @param request request
     * @return response
     */
    public Response send(HttpRequest request) {
        try {
            return new Response(client.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A received response.
     *
     * @param raw the JDK response
     */
    public record Response(HttpResponse<String> raw) {
        /**
         * Status code.
         *
         * @return status
         */
        public int status() {
            return raw.statusCode();
        }

        /**
         * Body as text.
         *
         * @return body
         */
        public String body() {
            return raw.body();
        }

        /**
         * First value of a header.
         *
         * @param name header name
         * @return value
         */
        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        /**
         * Body parsed as a JSON object.
         *
         * @return object
         */
        public JsonObject json() {
            return (JsonObject) structure();
        }

        /**
         * Body parsed as JSON.
         *
         * @return object or array
         */
        public JsonStructure structure() {
            return Json.createReader(new StringReader(raw.body())).read();
        }
    }
}
