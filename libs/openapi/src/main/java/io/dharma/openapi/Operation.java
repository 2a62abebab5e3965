package io.dharma.openapi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.errors.FieldError;
import io.dharma.errors.PathTemplate;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One operation of the document, compiled at start-up: its parameters, request body and responses with their schemas.
 * Checking a request costs what its parameters and body cost: a GET with one UUID path parameter is a path match and a
 * compiled pattern match. A request that breaks the contract becomes the problem the client gets: 415 for a content
 * type the operation does not take, 400 MALFORMED_JSON for a missing or unparsable body (or one of the wrong JSON type
 * altogether), else 400 VALIDATION_FAILED with one {@link FieldError} per broken rule, named by the convention of
 * {@code docs/api.md}: a JSON Pointer into the body ({@code /resources/0/type}), {@code <in>/<name>} for a parameter
 * ({@code query/limit}, {@code path/id}, {@code header/If-Match}).
 *
 * @param method            method
 * @param template          path template, e.g. {@code /api/v1/blueprints/{id}}
 * @param matcher           the template, compiled
 * @param allowUnknownQuery whether query parameters the operation does not declare are let through
 * @param parameters        its parameters, path-level ones included
 * @param body              its request body, empty when it takes none
 * @param responses         its responses
 */
record Operation(Method method,
                 String template,
                 PathTemplate matcher,
                 boolean allowUnknownQuery,
                 List<Parameter> parameters,
                 Optional<RequestBody> body,
                 Responses responses) {
    /** Reads bodies; one value per body, nothing after it. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Check a request.
     *
     * @param path    the path parameters the template matched
     * @param query   the query
     * @param headers the headers
     * @param bytes   the body, empty when there is none
     * @return the problem to answer, empty if the request keeps the contract
     */
    Optional<ApiException> check(Map<String, String> path, UriQuery query, Headers headers, byte[] bytes) {
        List<Violation> violations = new ArrayList<>(0);
        for (Parameter parameter : parameters) {
            parameter.check(values(parameter, path, query, headers), violations);
        }
        if (!allowUnknownQuery && !query.isEmpty()) {
            for (String name : query.names()) {
                if (!declaresQuery(name)) {
                    violations.add(new Violation("query/" + name, "unknown",
                                                 "is not a parameter of " + method.text() + " " + template));
                }
            }
        }
        if (bytes.length > 0) {
            Optional<ApiException> rejected = checkBody(headers, bytes, violations);
            if (rejected.isPresent()) {
                return rejected;
            }
        } else if (body.isPresent() && body.get().required()) {
            return Optional.of(ApiException.of(ErrorCode.MALFORMED_JSON, "A JSON body is required"));
        }
        if (violations.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ApiException.validation(violations.stream()
                                                           .map(v -> new FieldError(v.field().isEmpty() ? "/" : v.field(),
                                                                                    v.message()))
                                                           .toList()));
    }

    private boolean declaresQuery(String name) {
        for (Parameter parameter : parameters) {
            if (parameter.in().equals("query") && parameter.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private Optional<ApiException> checkBody(Headers headers, byte[] bytes, List<Violation> violations) {
        if (body.isEmpty()) {
            violations.add(new Violation("body", "unexpected", "must be empty: " + method.text() + " " + template
                    + " takes no body"));
            return Optional.empty();
        }
        String contentType = headers.first(HeaderNames.CONTENT_TYPE).map(String::trim).orElse("");
        Optional<Schema> schema = body.get().schema(contentType);
        if (schema.isEmpty()) {
            return Optional.of(ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The request body must be "
                    + String.join(" or ", body.get().content().keySet()) + ", got "
                    + (contentType.isEmpty() ? "none" : contentType)));
        }
        if (!json(contentType)) {
            return Optional.empty();
        }
        JsonNode value;
        try {
            value = JSON.readTree(bytes);
        } catch (IOException e) {
            return Optional.of(ApiException.of(ErrorCode.MALFORMED_JSON,
                                               "The request body is not valid JSON of the expected shape"));
        }
        if (value == null || value.isMissingNode()) {
            return Optional.of(ApiException.of(ErrorCode.MALFORMED_JSON, "A JSON body is required"));
        }
        int before = violations.size();
        schema.get().check(value, "", violations);
        for (int i = before; i < violations.size(); i++) {
            Violation violation = violations.get(i);
            if (violation.field().isEmpty() && violation.keyword().equals("type")) {
                return Optional.of(ApiException.of(ErrorCode.MALFORMED_JSON, "The body must be a JSON "
                        + violation.message().substring("must be of type ".length())));
            }
        }
        return Optional.empty();
    }

    private static List<String> values(Parameter parameter, Map<String, String> path, UriQuery query, Headers headers) {
        return switch (parameter.in()) {
            case "path" -> path.containsKey(parameter.name()) ? List.of(path.get(parameter.name())) : List.of();
            case "query" -> query.contains(parameter.name()) ? query.all(parameter.name()) : List.of();
            case "header" -> headers.first(parameter.header()).map(List::of).orElse(List.of());
            default -> cookie(headers, parameter.name());
        };
    }

    private static List<String> cookie(Headers headers, String name) {
        List<String> values = new ArrayList<>(1);
        for (String header : headers.values(HeaderNames.COOKIE)) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().equals(name)) {
                    values.add(pair.substring(equals + 1).trim());
                }
            }
        }
        return values;
    }

    /**
     * Whether a media type is JSON ({@code application/json} or {@code application/<anything>+json}).
     *
     * @param contentType a content type, parameters allowed
     * @return whether its body is JSON
     */
    static boolean json(String contentType) {
        String type = mediaType(contentType);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    /**
     * A content type's media type: lower case, without parameters.
     *
     * @param contentType content type
     * @return e.g. {@code application/json}
     */
    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * A request body (or a response's content): the schema of each media type it may come as.
     *
     * @param required whether a request must send it
     * @param content  schema by media type (lower case, as in the document; {@code application/*} and {@code *}{@code /*}
     *                 match a range)
     */
    record RequestBody(boolean required, Map<String, Schema> content) {
        /**
         * The schema of a content type.
         *
         * @param contentType the request's content type (parameters allowed)
         * @return its schema, empty when the body may not come as that type
         */
        Optional<Schema> schema(String contentType) {
            String type = mediaType(contentType);
            Schema exact = content.get(type);
            if (exact != null) {
                return Optional.of(exact);
            }
            int slash = type.indexOf('/');
            Schema range = slash < 0 ? null : content.get(type.substring(0, slash) + "/*");
            return Optional.ofNullable(range != null ? range : content.get("*/*"));
        }
    }
}
