package io.dharma.resilience;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.spi.JsonProvider;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Status;

/**
 * A downstream's answer that is the caller's to interpret: a 2xx, a 3xx (redirects are not followed) or a 4xx. 5xx
 * answers and failed calls never get here; they end as a {@link DownstreamException}. The body has been read
 * completely within the call's timeout.
 */
public final class DownstreamResponse {
    /** Looked up once: {@code Json.create*} runs a ServiceLoader scan of the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final String downstream;
    private final Status status;
    private final Headers headers;
    private final byte[] body;

    DownstreamResponse(String downstream, Status status, Headers headers, byte[] body) {
        this.downstream = downstream;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * HTTP status the downstream answered with.
     *
     * @return status
     */
    public Status status() {
        return status;
    }

    /**
     * Response headers.
     *
     * @return headers
     */
    public Headers headers() {
        return headers;
    }

    /**
     * The first value of a header.
     *
     * @param name header name (case-insensitive)
     * @return value, empty if absent
     */
    public Optional<String> header(String name) {
        return headers.first(HeaderNames.create(name));
    }

    /**
     * The body as UTF-8 text.
     *
     * @return text, empty when there was no body
     */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as a JSON object (problem bodies of 4xx answers included).
     *
     * @return JSON object
     * @throws DownstreamException ({@link DownstreamException.Reason#BAD_RESPONSE BAD_RESPONSE}, a 503) if the body is
     *                             not a JSON object
     */
    public JsonObject json() {
        return read(JsonObject.class);
    }

    /**
     * The body as a JSON array.
     *
     * @return JSON array
     * @throws DownstreamException ({@link DownstreamException.Reason#BAD_RESPONSE BAD_RESPONSE}, a 503) if the body is
     *                             not a JSON array
     */
    public JsonArray jsonArray() {
        return read(JsonArray.class);
    }

    private <T extends JsonStructure> T read(Class<T> type) {
        try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(body))) {
            JsonStructure json = reader.read();
            if (!type.isInstance(json)) {
                throw new JsonException("Expected a " + type.getSimpleName() + ", got " + json.getValueType());
            }
            return type.cast(json);
        } catch (JsonException e) {
            throw DownstreamException.badResponse(downstream, e);
        }
    }

    @Override
    public String toString() {
        return downstream + " answered " + status.code() + " (" + body.length + " bytes)";
    }
}
