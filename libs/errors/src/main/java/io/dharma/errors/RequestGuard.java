package io.dharma.errors;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The first line of the request pipeline. Before any other filter reads the request it rejects, with a 400 problem, a
 * request whose path is not already in normal form (dot segments, empty segments, encoded slashes) or whose structured
 * headers cannot be parsed, so every later filter and the router see one and the same request; then it answers a
 * problem for any exception a later filter lets escape, so no request is left without an answer.
 */
final class RequestGuard implements Filter {
    private static final System.Logger LOGGER = System.getLogger(RequestGuard.class.getName());

    private final ErrorHandler<Throwable> handler;

    RequestGuard(ErrorHandler<Throwable> handler) {
        this.handler = handler;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        try {
            Optional<ApiException> rejection = rejection(req);
            if (rejection.isPresent()) {
                Problems.send(req, res, rejection.get());
                return;
            }
            chain.proceed();
        } catch (CloseConnectionException e) {
            // the connection failed (the client went away mid-answer, a broken pipe or a reset) or Helidon found the
            // answer already started: there is nobody to answer, and it is not the service's error; Helidon closes
            // the connection
            LOGGER.log(System.Logger.Level.DEBUG, () -> "Connection closed while answering "
                    + req.prologue().method().text() + " " + req.prologue().uriPath().rawPath() + ": " + e.getMessage());
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            answer(req, res, e);
        }
    }

    private void answer(RoutingRequest req, RoutingResponse res, Throwable t) {
        if (res.isSent()) {
            // the answer is out (or partly out): nothing more can be said to the client
            LOGGER.log(System.Logger.Level.WARNING, "Request failed after its response was sent: "
                    + req.prologue().method().text() + " " + req.prologue().uriPath().rawPath(), t);
            return;
        }
        handler.handle(req, res, t);
    }

    /** Why the request cannot be read the same way by every filter, if it cannot. */
    static Optional<ApiException> rejection(RoutingRequest req) {
        String rawPath = req.prologue().uriPath().rawPath();
        if (!isNormal(rawPath)) {
            return Optional.of(ApiException.of(ErrorCode.BAD_REQUEST, "The request path must not contain '.' or '..' "
                    + "segments, empty segments or encoded slashes"));
        }
        if (rawPath.length() > 1 && rawPath.charAt(rawPath.length() - 1) == '/') {
            // Helidon routes "/things/" to a service's "/" route, while path templates (validation, route limits,
            // access rules) do not match it: one path, one reading
            return Optional.of(ApiException.notFound("No resource at this path: API paths do not end with '/'"));
        }
        var headers = req.headers();
        Optional<ApiException> framing = framing(headers);
        if (framing.isPresent()) {
            return framing;
        }
        if (headers.contains(HeaderNames.CONTENT_TYPE)) {
            Optional<ApiException> contentType = contentType(headers.values(HeaderNames.CONTENT_TYPE));
            if (contentType.isPresent()) {
                return contentType;
            }
        }
        if (headers.contains(HeaderNames.ACCEPT)) {
            try {
                for (HttpMediaType range : headers.acceptedTypes()) {
                    if (range.charset().filter(charset -> !supported(charset)).isPresent()) {
                        return Optional.of(malformed(HeaderNames.ACCEPT, "names a charset this service cannot write"));
                    }
                }
            } catch (RuntimeException e) {
                return Optional.of(malformed(HeaderNames.ACCEPT, "must be a list of media ranges"));
            }
        }
        return Optional.empty();
    }

    /** The body's framing must be unambiguous: one decimal Content-Length, or Transfer-Encoding: chunked, not both. */
    private static Optional<ApiException> framing(io.helidon.http.Headers headers) {
        boolean length = headers.contains(HeaderNames.CONTENT_LENGTH);
        boolean encoding = headers.contains(HeaderNames.TRANSFER_ENCODING);
        if (length && encoding) {
            return Optional.of(malformed(HeaderNames.CONTENT_LENGTH, "must not be sent with Transfer-Encoding"));
        }
        if (length) {
            List<String> values = headers.values(HeaderNames.CONTENT_LENGTH);
            if (values.size() != 1 || !isDecimal(values.getFirst())) {
                return Optional.of(malformed(HeaderNames.CONTENT_LENGTH, "must be sent once, as a number of bytes"));
            }
        }
        if (encoding) {
            List<String> values = headers.values(HeaderNames.TRANSFER_ENCODING);
            if (values.size() != 1 || !values.getFirst().strip().equalsIgnoreCase("chunked")) {
                return Optional.of(malformed(HeaderNames.TRANSFER_ENCODING, "must be chunked"));
            }
        }
        return Optional.empty();
    }

    private static boolean isDecimal(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Optional<ApiException> contentType(List<String> values) {
        if (values.size() != 1) {
            return Optional.of(malformed(HeaderNames.CONTENT_TYPE, "must be sent once"));
        }
        HttpMediaType type;
        try {
            type = HttpMediaType.create(values.getFirst());
        } catch (RuntimeException e) {
            return Optional.of(malformed(HeaderNames.CONTENT_TYPE, "must be a media type, e.g. application/json"));
        }
        Optional<String> charset = type.charset();
        if (charset.isPresent() && !supported(charset.get())) {
            return Optional.of(ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The charset of the request body is not "
                    + "supported; send UTF-8"));
        }
        return Optional.empty();
    }

    private static boolean supported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ApiException malformed(HeaderName header, String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, "The " + header.defaultCase() + " header " + message,
                                List.of(new FieldError("header/" + header.defaultCase(), message)), Map.of());
    }

    /**
     * Whether a raw (encoded) path is already in normal form: after percent-decoding each segment it has no {@code .}
     * or {@code ..} segment and no empty segment (except a trailing slash), and no segment hides a {@code /} or
     * {@code \} behind an escape. Such a path means the same to every reader, encoded or decoded.
     */
    static boolean isNormal(String rawPath) {
        if (rawPath.indexOf('%') < 0 && rawPath.indexOf('.') < 0 && !rawPath.contains("//")
                && rawPath.indexOf('\\') < 0) {
            return true;
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || rawPath.indexOf('\\') >= 0) {
            return false;
        }
        String[] segments = lower.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i].replace("%2e", ".");
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || segment.equals("..") || segment.isEmpty() && !last) {
                return false;
            }
        }
        return true;
    }
}
