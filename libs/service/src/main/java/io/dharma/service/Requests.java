package io.dharma.service;

import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.openapi.ValidatedBody;

import io.helidon.common.GenericType;
import io.helidon.common.LazyValue;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.HttpMediaTypes;
import io.helidon.http.WritableHeaders;
import io.helidon.http.media.MediaContext;
import io.helidon.webserver.http.ServerRequest;

/**
 * Request reading every API handler needs, with problem answers for bad input: JSON bodies, UUID path parameters and
 * conditional headers ({@code If-Match}, {@code If-None-Match}) against strong ETags.
 */
public final class Requests {
    /** Maps validated bodies like the server maps request entities (the same providers, discovered the same way). */
    private static final LazyValue<MediaContext> MEDIA = LazyValue.create(() -> MediaContext.create());

    private Requests() {
    }

    /**
     * Read a JSON body as a type. When the OpenAPI request validation read the body (it consumes the request entity),
     * the validated bytes are mapped; otherwise the request entity.
     *
     * @param req  request
     * @param type the JSON-mapped record
     * @param <T>  body type
     * @return the body
     * @throws ApiException 400 MALFORMED_JSON when the body is missing, {@code null} or not JSON of that shape
     */
    public static <T> T json(ServerRequest req, Class<T> type) {
        Optional<ValidatedBody> validated = ValidatedBody.from(req.context());
        if (validated.isEmpty() ? !req.content().hasEntity() : validated.get().length() == 0) {
            throw ApiException.of(ErrorCode.MALFORMED_JSON, "A JSON body is required");
        }
        T body = read(validated.isPresent() ? validated.get().stream() : req.content().inputStream(), type, req);
        if (body == null) {
            throw ApiException.of(ErrorCode.MALFORMED_JSON, "The body must be a JSON object");
        }
        return body;
    }

    /**
     * Map the body as JSON whatever JSON media type it came with: the body filter admitted it as JSON
     * ({@code application/json} or any {@code +json} type), while the server's JSON mapping picks its reader by the
     * request's {@code Content-Type} and would find none for {@code application/problem+json} (a 500). The charset
     * the client named is kept.
     */
    private static <T> T read(InputStream body, Class<T> type, ServerRequest req) {
        GenericType<T> generic = GenericType.create(type);
        WritableHeaders<?> headers = WritableHeaders.create(req.headers());
        HttpMediaType json = req.headers().contentType()
                .flatMap(HttpMediaType::charset)
                .map(charset -> HttpMediaTypes.JSON_UTF_8.withCharset(charset))
                .orElse(HttpMediaTypes.JSON_UTF_8);
        headers.contentType(json);
        return MEDIA.get().reader(generic, headers).read(generic, body, headers);
    }

    /**
     * A path parameter that must be a UUID.
     *
     * @param req  request
     * @param name parameter name
     * @return the UUID
     * @throws ApiException 400 VALIDATION_FAILED naming {@code path/<name>} when it is not a UUID
     */
    public static UUID uuid(ServerRequest req, String name) {
        try {
            return UUID.fromString(req.path().pathParameters().get(name));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("path/" + name, "must be a UUID");
        }
    }

    /**
     * The {@code If-Match} header a conditional update requires; every field line of it, joined as one list.
     *
     * @param req request
     * @return the header value
     * @throws ApiException 428 PRECONDITION_REQUIRED when it is missing
     */
    public static String requireIfMatch(ServerRequest req) {
        return conditional(req, HeaderNames.IF_MATCH).orElseThrow(() -> ApiException.of(
                ErrorCode.PRECONDITION_REQUIRED, "Send If-Match with the ETag of the version you are replacing"));
    }

    /**
     * Whether the client's {@code If-None-Match} matches the current ETag (answer 304 then), by weak comparison.
     *
     * @param req  request
     * @param etag current strong ETag, quoted
     * @return true if the client already has this version
     */
    public static boolean notModified(ServerRequest req, String etag) {
        return conditional(req, HeaderNames.IF_NONE_MATCH).map(header -> ifNoneMatch(header, etag)).orElse(false);
    }

    /**
     * Whether an {@code If-Match} value matches the current strong ETag, by strong comparison (RFC 9110 13.1.1):
     * {@code *}, or a list holding the ETag itself; a weak tag ({@code W/"3"}) never matches. A malformed value
     * (unquoted, unterminated, empty, only commas, {@code *} inside a list) matches nothing: 412, never an error.
     *
     * @param header header value
     * @param etag   current ETag, quoted
     * @return true on a match
     */
    public static boolean ifMatch(String header, String etag) {
        return EntityTags.parse(header).map(tags -> tags.any() || tags.strong().contains(etag)).orElse(false);
    }

    /**
     * Whether an {@code If-None-Match} value matches the current ETag, by weak comparison (RFC 9110 13.1.2):
     * {@code *}, or a list holding the ETag with or without {@code W/}. A malformed value matches nothing (the full
     * answer is sent).
     *
     * @param header header value
     * @param etag   current ETag, quoted
     * @return true on a match
     */
    public static boolean ifNoneMatch(String header, String etag) {
        return EntityTags.parse(header).map(tags -> tags.any() || tags.opaque().contains(etag)).orElse(false);
    }

    private static Optional<String> conditional(ServerRequest req, HeaderName name) {
        if (!req.headers().contains(name)) {
            return Optional.empty();
        }
        return Optional.of(String.join(", ", req.headers().get(name).allValues()));
    }

    /**
     * The strong ETag of a version number.
     *
     * @param version entity version
     * @return quoted ETag, e.g. {@code "3"}
     */
    public static String etag(long version) {
        return "\"" + version + "\"";
    }
}
