package io.dharma.openapi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The documented responses of one operation, compiled: by status ({@code 200}, a range {@code 2XX}, or
 * {@code default}), the headers with their schemas and the content with a schema per media type. A response is
 * described by one line per violation, {@code <key>: <what>}, the key naming the kind of violation
 * ({@code validation.response.status.unknown}, {@code validation.response.body.schema.additionalProperties}, ...).
 *
 * @param byStatus the responses by status key as in the document
 */
record Responses(Map<String, Response> byStatus) {
    private static final String BODY_SCHEMA = "validation.response.body.schema.";

    /**
     * Check a response.
     *
     * @param operation the operation that answered it
     * @param status    its status code
     * @param headers   its headers
     * @param body      its body, empty when there is none
     * @return one line per violation; empty when it keeps the document
     */
    List<String> check(Operation operation, int status, Headers headers, byte[] body) {
        String code = Integer.toString(status);
        Response response = byStatus.get(code);
        if (response == null) {
            response = byStatus.get(code.charAt(0) + "XX");
        }
        if (response == null) {
            response = byStatus.get("default");
        }
        if (response == null) {
            return List.of("validation.response.status.unknown: " + operation.method().text() + " "
                                   + operation.template() + " documents no response " + status);
        }
        List<String> violations = new ArrayList<>(0);
        for (Parameter header : response.headers()) {
            List<Violation> found = new ArrayList<>(0);
            header.check(headers.first(header.header()).map(List::of).orElse(List.of()), found);
            found.forEach(v -> violations.add("validation.response.header." + v.keyword() + ": " + header.name() + " "
                                                      + v.message()));
        }
        checkBody(response, status, headers, body, violations);
        return violations;
    }

    private static void checkBody(Response response, int status, Headers headers, byte[] body, List<String> violations) {
        if (response.content().isEmpty()) {
            if (body.length > 0) {
                violations.add("validation.response.body.unexpected: the response " + status + " documents no body");
            }
            return;
        }
        if (body.length == 0) {
            violations.add("validation.response.body.missing: the response " + status + " documents a body");
            return;
        }
        String contentType = headers.first(HeaderNames.CONTENT_TYPE).orElse("");
        Optional<Schema> schema = response.content().get().schema(contentType);
        if (schema.isEmpty()) {
            violations.add("validation.response.contentType.notAllowed: " + (contentType.isEmpty() ? "none" : contentType)
                                   + " is not one of " + response.content().get().content().keySet());
            return;
        }
        if (!Operation.json(contentType)) {
            return;
        }
        JsonNode value;
        try {
            value = Operation.JSON.readTree(body);
        } catch (IOException e) {
            violations.add(BODY_SCHEMA + "invalidJson: " + e.getMessage());
            return;
        }
        List<Violation> found = new ArrayList<>(0);
        schema.get().check(value, "", found);
        found.forEach(v -> violations.add(BODY_SCHEMA + v.keyword() + ": " + (v.field().isEmpty() ? "/" : v.field()) + " "
                                                  + v.message()));
    }

    /**
     * One documented response.
     *
     * @param headers its headers, as header parameters
     * @param content its content, empty when it has no body
     */
    record Response(List<Parameter> headers, Optional<Operation.RequestBody> content) {
    }
}
