package io.dharma.resilience;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.json.JsonStructure;

import io.helidon.http.Method;

import org.jspecify.annotations.Nullable;

/**
 * One call to a downstream: method, path (with an optional query string), an optional JSON body, extra headers, and
 * whether it may be retried. Immutable; each {@code with}-style method returns a copy.
 * <p>
 * GET, HEAD, PUT, DELETE and OPTIONS are idempotent and so retried after transient failures; POST and PATCH are not,
 * unless the caller marks the request with {@link #idempotent(boolean) idempotent(true)} (for example because it
 * carries an idempotency key the downstream honours).
 * <pre>
 * DownstreamRequest.of(Method.POST, "/api/v1/costs/estimate")
 *         .body(json)
 *         .header("Idempotency-Key", key)
 *         .idempotent(true);
 * </pre>
 */
public final class DownstreamRequest {
    private static final Set<Method> IDEMPOTENT = Set.of(Method.GET, Method.HEAD, Method.PUT, Method.DELETE, Method.OPTIONS);

    private final Method method;
    private final URI path;
    private final @Nullable JsonStructure body;
    private final Map<String, String> headers;
    private final boolean idempotent;

    private DownstreamRequest(Method method, URI path, @Nullable JsonStructure body, Map<String, String> headers,
                              boolean idempotent) {
        this.method = method;
        this.path = path;
        this.body = body;
        this.headers = headers;
        this.idempotent = idempotent;
    }

    /**
     * A request without body or extra headers, idempotent if its method is.
     *
     * @param method HTTP method
     * @param path   path relative to the downstream's base URL, starting with {@code /}; may carry a query string;
     *               percent-encoded where needed (e.g. {@code /search?q=a%20b})
     * @return request
     * @throws ResilienceException if the path is not a relative, valid URI path (e.g. an absolute URL)
     */
    public static DownstreamRequest of(Method method, String path) {
        URI uri;
        try {
            uri = new URI(path);
        } catch (URISyntaxException e) {
            throw new ResilienceUsageException("A downstream request path must be a valid, encoded URI path: " + e.getMessage());
        }
        if (!path.startsWith("/") || uri.getScheme() != null || uri.getRawAuthority() != null) {
            throw new ResilienceUsageException("A downstream request path must start with a single '/', not '" + path + "'");
        }
        return new DownstreamRequest(method, uri, null, Map.of(), IDEMPOTENT.contains(method));
    }

    /**
     * A copy with a JSON body (sent as {@code application/json}).
     *
     * @param body JSON object or array
     * @return new request
     */
    public DownstreamRequest body(JsonStructure body) {
        return new DownstreamRequest(method, path, body, headers, idempotent);
    }

    /**
     * A copy with one more header (a header of the same name is replaced).
     *
     * @param name  header name
     * @param value header value
     * @return new request
     */
    public DownstreamRequest header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new DownstreamRequest(method, path, body, Map.copyOf(copy), idempotent);
    }

    /**
     * A copy that is (or is not) retried after transient failures, whatever its method.
     *
     * @param idempotent whether repeating the request is safe
     * @return new request
     */
    public DownstreamRequest idempotent(boolean idempotent) {
        return new DownstreamRequest(method, path, body, headers, idempotent);
    }

    /**
     * HTTP method.
     *
     * @return method
     */
    public Method method() {
        return method;
    }

    /**
     * Path relative to the base URL, query string included, as given.
     *
     * @return path
     */
    public String path() {
        return path.toString();
    }

    URI uri() {
        return path;
    }

    /**
     * JSON body, if any.
     *
     * @return body
     */
    public Optional<JsonStructure> body() {
        return Optional.ofNullable(body);
    }

    /**
     * Extra headers.
     *
     * @return header name to value
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Whether the request is retried after transient failures.
     *
     * @return true if repeating it is safe
     */
    public boolean idempotent() {
        return idempotent;
    }

    @Override
    public String toString() {
        return method.text() + " " + path;
    }
}
