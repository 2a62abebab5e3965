package io.dharma.openapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.http.Header;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.common.uri.UriPath;
import io.helidon.common.uri.UriQuery;

/**
 * The service's API contract: the operations of its (bundled) OpenAPI document, and the validator that checks requests
 * and responses against them.
 */
final class Contract {
    /** Extension (document root or operation) that lets query parameters the operation does not declare through. */
    static final String ALLOW_UNKNOWN_QUERY = "x-dharma-allow-unknown-query-parameters";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final OpenApiInteractionValidator validator;
    private final List<Operation> operations;

    private Contract(OpenApiInteractionValidator validator, List<Operation> operations) {
        this.validator = validator;
        this.operations = List.copyOf(operations);
    }

    /**
     * A contract from a bundled document.
     *
     * @param document self-contained OpenAPI 3.0 document
     * @param name     where it came from, for messages
     * @return contract
     */
    static Contract create(ObjectNode document, String name) {
        OpenApiInteractionValidator validator;
        try {
            validator = OpenApiInteractionValidator.createForInlineApiSpecification(Documents.json(document))
                    .withSchemaFactorySupplier(PatternKeyword::schemaFactory)
                    .withLevelResolver(LevelResolver.create()
                                               // strict unless the document or the operation allows unknown ones
                                               .withLevel("validation.request.parameter.query.unexpected",
                                                          ValidationReport.Level.ERROR)
                                               // the document says additionalProperties: false where it means it
                                               .withLevel("validation.schema.additionalProperties",
                                                          ValidationReport.Level.IGNORE)
                                               // tokens are the security library's job, before this filter runs
                                               .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                                               // the API answers JSON whatever the client accepts
                                               .withLevel("validation.request.accept", ValidationReport.Level.IGNORE)
                                               .build())
                    .build();
        } catch (OpenApiInteractionValidator.ApiLoadException e) {
            throw new InvalidDocumentException(name + " is not a valid OpenAPI document: " + e.getParseMessages(), e);
        }
        Contract contract = new Contract(validator, operations(document));
        contract.warmUp(document);
        return contract;
    }

    /**
     * The operation a request is for.
     *
     * @param method request method
     * @param path   request path
     * @return the operation, empty when the document has none for this method and path (not under the contract)
     */
    Optional<Operation> operation(Method method, UriPath path) {
        for (Operation operation : operations) {
            if (operation.method().equals(method) && operation.matcher().match(path).accepted()) {
                return Optional.of(operation);
            }
        }
        return Optional.empty();
    }

    /**
     * Every operation of the document.
     *
     * @return operations in document order
     */
    List<Operation> operations() {
        return operations;
    }

    /** The validator's report on a request to an operation; {@code path} is the full request path. */
    ValidationReport validateRequest(Operation operation, String path, UriQuery query, Headers headers, byte[] body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(operation.method().text(), path, true);
        for (String name : query.names()) {
            request.withQueryParam(name, query.all(name));
        }
        // only what is validated: the content type and the declared header parameters (tokens and Accept are not the
        // validator's business, and every header handed over costs parsing)
        for (Header header : headers) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (name.equals("content-type") || operation.headers().contains(name)) {
                request.withHeader(header.name(), header.allValues());
            }
        }
        if (body.length > 0) {
            request.withBody(body);
        }
        return validator.validateRequest(request.build());
    }

    /** The validator's report on the response to a request to an operation. */
    ValidationReport validateResponse(Operation operation, String path, int status, Headers headers, byte[] body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        for (Header header : headers) {
            response.withHeader(header.name(), header.allValues());
        }
        if (body.length > 0) {
            response.withBody(body);
        }
        return validator.validateResponse(path, Request.Method.valueOf(operation.method().text()), response.build());
    }

    /**
     * Validate a made-up request and every documented response of each operation once, so the validator has loaded its
     * classes and compiled every schema before the first real request (which would otherwise take hundreds of
     * milliseconds, longer than a caller's timeout). The reports are thrown away.
     */
    private void warmUp(ObjectNode document) {
        for (Operation operation : operations) {
            String path = operation.template().replaceAll("\\{[^}/]+}", "0");
            validator.validateRequest(new SimpleRequest.Builder(operation.method().text(), path, true)
                                              .withContentType("application/json")
                                              .withBody("{}")
                                              .build());
            JsonNode responses = document.path("paths").path(operation.template())
                    .path(operation.method().text().toLowerCase(Locale.ROOT)).path("responses");
            for (Iterator<Map.Entry<String, JsonNode>> statuses = responses.fields(); statuses.hasNext(); ) {
                Map.Entry<String, JsonNode> status = statuses.next();
                Iterator<String> mediaTypes = resolve(document, status.getValue()).path("content").fieldNames();
                if (status.getKey().matches("[1-5][0-9][0-9]") && mediaTypes.hasNext()) {
                    validator.validateResponse(path, Request.Method.valueOf(operation.method().text()),
                                               SimpleResponse.Builder.status(Integer.parseInt(status.getKey()))
                                                       .withContentType(mediaTypes.next())
                                                       .withBody("{}")
                                                       .build());
                }
            }
        }
    }

    private static JsonNode resolve(ObjectNode document, JsonNode node) {
        JsonNode resolved = node;
        for (int depth = 0; depth < 10 && resolved.path("$ref").isTextual(); depth++) {
            resolved = document.at(resolved.path("$ref").textValue().substring(1));
        }
        return resolved;
    }

    private static List<Operation> operations(ObjectNode document) {
        boolean allowUnknownQuery = document.path(ALLOW_UNKNOWN_QUERY).asBoolean(false);
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> items = path.getValue().fields(); items.hasNext(); ) {
                Map.Entry<String, JsonNode> item = items.next();
                if (METHODS.contains(item.getKey())) {
                    JsonNode allow = item.getValue().path(ALLOW_UNKNOWN_QUERY);
                    Set<String> headers = new HashSet<>();
                    headerParameters(document, path.getValue().path("parameters"), headers);
                    headerParameters(document, item.getValue().path("parameters"), headers);
                    operations.add(new Operation(Method.create(item.getKey().toUpperCase(Locale.ROOT)), path.getKey(),
                                                 PathMatchers.create(path.getKey()),
                                                 allow.isBoolean() ? allow.booleanValue() : allowUnknownQuery,
                                                 Set.copyOf(headers)));
                }
            }
        }
        return operations;
    }

    private static void headerParameters(ObjectNode document, JsonNode parameters, Set<String> names) {
        for (JsonNode parameter : parameters) {
            JsonNode resolved = resolve(document, parameter);
            if ("header".equals(resolved.path("in").textValue())) {
                names.add(resolved.path("name").asText().toLowerCase(Locale.ROOT));
            }
        }
    }

    /**
     * One operation of the document.
     *
     * @param method            method
     * @param template          path template, e.g. {@code /api/v1/blueprints/{id}}
     * @param matcher           matches request paths against the template
     * @param allowUnknownQuery whether query parameters the operation does not declare are let through
     * @param headers           the header parameters it declares, lower case
     */
    record Operation(Method method, String template, PathMatcher matcher, boolean allowUnknownQuery, Set<String> headers) {
    }
}
