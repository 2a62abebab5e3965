package io.dharma.errors;

import io.helidon.http.Status;

/**
 * The catalog of machine-readable error codes a Dharma service answers with (see {@code docs/errors.md}).
 */
public enum ErrorCode {
    /** A field or parameter broke a rule; the problem lists each field. */
    VALIDATION_FAILED(Status.BAD_REQUEST_400, "Validation failed"),
    /** The body is not well-formed JSON or does not have the expected shape. */
    MALFORMED_JSON(Status.BAD_REQUEST_400, "Malformed JSON"),
    /** A request that cannot be understood (bad cursor, bad header syntax). */
    BAD_REQUEST(Status.BAD_REQUEST_400, "Bad request"),
    /** No credentials were sent. */
    MISSING_TOKEN(Status.UNAUTHORIZED_401, "Missing token"),
    /** Credentials were sent but are not acceptable. */
    INVALID_TOKEN(Status.UNAUTHORIZED_401, "Invalid token"),
    /** The token was valid but has expired. */
    TOKEN_EXPIRED(Status.UNAUTHORIZED_401, "Token expired"),
    /** Authenticated, but not allowed to do this. */
    FORBIDDEN(Status.FORBIDDEN_403, "Forbidden"),
    /** No such resource or route. */
    NOT_FOUND(Status.NOT_FOUND_404, "Not found"),
    /** The route exists but not for this method. */
    METHOD_NOT_ALLOWED(Status.METHOD_NOT_ALLOWED_405, "Method not allowed"),
    /** The request conflicts with the current state (duplicate, concurrent change). */
    CONFLICT(Status.CONFLICT_409, "Conflict"),
    /** {@code If-Match} does not match the current version. */
    PRECONDITION_FAILED(Status.PRECONDITION_FAILED_412, "Precondition failed"),
    /** The body is larger than the configured limit. */
    PAYLOAD_TOO_LARGE(Status.REQUEST_ENTITY_TOO_LARGE_413, "Payload too large"),
    /** The request target (path and query) is longer than the server reads. */
    URI_TOO_LONG(Status.REQUEST_URI_TOO_LONG_414, "URI too long"),
    /** The body's content type is not accepted by this route. */
    UNSUPPORTED_MEDIA_TYPE(Status.UNSUPPORTED_MEDIA_TYPE_415, "Unsupported media type"),
    /** The route needs a conditional request ({@code If-Match}). */
    PRECONDITION_REQUIRED(Status.create(428, "Precondition Required"), "Precondition required"),
    /** Too many requests for a rate-limit policy. */
    RATE_LIMIT_EXCEEDED(Status.TOO_MANY_REQUESTS_429, "Rate limit exceeded"),
    /** The request's header block is larger than the server reads ({@code server.max-headers-size}, RFC 6585). */
    HEADERS_TOO_LARGE(Status.create(431, "Request Header Fields Too Large"), "Headers too large"),
    /** An unexpected failure; details are in the server log under the correlation id. */
    INTERNAL_ERROR(Status.INTERNAL_SERVER_ERROR_500, "Internal error"),
    /** A dependency (database, cache, downstream) is unavailable; retry later. */
    SERVICE_UNAVAILABLE(Status.SERVICE_UNAVAILABLE_503, "Service unavailable"),
    /** The service is at its concurrency limit and refused the request at once; retry later. */
    OVERLOADED(Status.SERVICE_UNAVAILABLE_503, "Overloaded"),
    /** A downstream call timed out. */
    UPSTREAM_TIMEOUT(Status.GATEWAY_TIMEOUT_504, "Upstream timeout");

    private final Status status;
    private final String title;

    ErrorCode(Status status, String title) {
        this.status = status;
        this.title = title;
    }

    /**
     * HTTP status answered with this code.
     *
     * @return status
     */
    public Status status() {
        return status;
    }

    /**
     * Short, stable, human-readable summary (the problem {@code title}).
     *
     * @return title
     */
    public String title() {
        return title;
    }

    /**
     * Kebab-case slug used in the problem {@code type} URI.
     *
     * @return slug, e.g. {@code validation-failed}
     */
    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The code used for a status that has no more specific code.
     *
     * @param status HTTP status
     * @return the closest code
     */
    public static ErrorCode forStatus(int status) {
        if (status == BAD_REQUEST.status.code()) {
            return BAD_REQUEST;
        }
        for (ErrorCode code : values()) {
            if (code.status.code() == status) {
                return code;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    }
}
