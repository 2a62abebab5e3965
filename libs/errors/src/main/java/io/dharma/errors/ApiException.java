package io.dharma.errors;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * An expected failure that maps to one problem response: it carries the {@link ErrorCode}, a detail that is safe to
 * show to the client, optional field errors and response headers ({@code Retry-After}, {@code Allow},
 * {@code WWW-Authenticate}).
 * <p>
 * Expected failures are part of normal operation, so they are created without a stack trace. Use the factory methods;
 * libraries that need their own type subclass it.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final List<FieldError> errors;
    private final Map<String, String> headers;
    private final Map<String, Object> members;

    /**
     * Create an exception for a code.
     *
     * @param code    error code (decides the status)
     * @param detail  human-readable detail, shown to the client
     * @param errors  field errors (for {@link ErrorCode#VALIDATION_FAILED})
     * @param headers response headers to add to the problem response
     */
    protected ApiException(ErrorCode code, String detail, List<FieldError> errors, Map<String, String> headers) {
        this(code, detail, errors, headers, null);
    }

    /**
     * Create an exception for a code that keeps the failure it was translated from (logged, never shown).
     *
     * @param code    error code (decides the status)
     * @param detail  human-readable detail, shown to the client
     * @param errors  field errors (for {@link ErrorCode#VALIDATION_FAILED})
     * @param headers response headers to add to the problem response
     * @param cause   the underlying failure, or null
     */
    protected ApiException(ErrorCode code, String detail, List<FieldError> errors, Map<String, String> headers,
                           @Nullable Throwable cause) {
        this(code, detail, errors, headers, Map.of(), cause);
    }

    private ApiException(ErrorCode code, String detail, List<FieldError> errors, Map<String, String> headers,
                         Map<String, Object> members, @Nullable Throwable cause) {
        super(detail, cause, false, false);
        this.code = code;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
        this.members = Map.copyOf(members);
    }

    /**
     * A failure with response headers and extra problem members (RFC 9457 extension members, e.g. {@code retryAfter}).
     *
     * @param code    error code
     * @param detail  detail shown to the client
     * @param headers response headers
     * @param members extension members; values are numbers or strings
     * @return new exception
     */
    public static ApiException of(ErrorCode code, String detail, Map<String, String> headers, Map<String, Object> members) {
        return new ApiException(code, detail, List.of(), headers, members, null);
    }

    /**
     * A failure with a code and a detail.
     *
     * @param code   error code
     * @param detail detail shown to the client
     * @return new exception
     */
    public static ApiException of(ErrorCode code, String detail) {
        return new ApiException(code, detail, List.of(), Map.of());
    }

    /**
     * 400 VALIDATION_FAILED with one entry per broken rule.
     *
     * @param errors field errors, at least one
     * @return new exception
     */
    public static ApiException validation(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " fields are invalid";
        return new ApiException(ErrorCode.VALIDATION_FAILED, detail, errors, Map.of());
    }

    /**
     * 400 VALIDATION_FAILED for a single field.
     *
     * @param field   field or parameter name
     * @param message what is wrong
     * @return new exception
     */
    public static ApiException validation(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    /**
     * 404 NOT_FOUND.
     *
     * @param detail what was not found
     * @return new exception
     */
    public static ApiException notFound(String detail) {
        return of(ErrorCode.NOT_FOUND, detail);
    }

    /**
     * 409 CONFLICT.
     *
     * @param detail what conflicts
     * @return new exception
     */
    public static ApiException conflict(String detail) {
        return of(ErrorCode.CONFLICT, detail);
    }

    /**
     * 503 SERVICE_UNAVAILABLE with {@code Retry-After}.
     *
     * @param detail     which dependency is unavailable, without internals
     * @param retryAfter when the client may retry
     * @return new exception
     */
    public static ApiException unavailable(String detail, Duration retryAfter) {
        return withHeader(ErrorCode.SERVICE_UNAVAILABLE, detail, "Retry-After", retryAfterSeconds(retryAfter));
    }

    /**
     * A failure with one extra response header.
     *
     * @param code   error code
     * @param detail detail shown to the client
     * @param header header name
     * @param value  header value
     * @return new exception
     */
    public static ApiException withHeader(ErrorCode code, String detail, String header, String value) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(header, value);
        return new ApiException(code, detail, List.of(), headers);
    }

    /**
     * The error code.
     *
     * @return code
     */
    public ErrorCode code() {
        return code;
    }

    /**
     * Detail shown to the client.
     *
     * @return detail
     */
    public String detail() {
        return getMessage();
    }

    /**
     * Field errors, empty unless this is a validation failure.
     *
     * @return field errors
     */
    public List<FieldError> errors() {
        return errors;
    }

    /**
     * Headers to add to the problem response.
     *
     * @return header name to value
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Extension members added to the problem body.
     *
     * @return member name to number or string
     */
    public Map<String, Object> members() {
        return members;
    }

    /**
     * The {@code Retry-After} header value, if any.
     *
     * @return seconds as text
     */
    public Optional<String> retryAfter() {
        return Optional.ofNullable(headers.get("Retry-After"));
    }

    static String retryAfterSeconds(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return Long.toString(seconds);
    }
}
