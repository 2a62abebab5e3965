package io.dharma.openapi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.dharma.errors.PathTemplate;

import io.helidon.common.uri.UriPath;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The service's API contract: every operation of its (bundled) OpenAPI 3.0 document, compiled once at start-up with
 * its parameters, request body and responses ({@link Operation}, {@link Responses}, {@link Schema}). Nothing of the
 * document is looked up per request but the operation itself, by method and path.
 */
final class Contract {
    /** Extension (document root or operation) that lets query parameters the operation does not declare through. */
    static final String ALLOW_UNKNOWN_QUERY = "x-dharma-allow-unknown-query-parameters";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    /** Header parameters OpenAPI says to ignore: they are described by other means (content, security). */
    private static final Set<String> IGNORED_HEADERS = Set.of("accept", "content-type", "authorization");

    private final List<Operation> operations;
    private final Map<String, List<Operation>> byMethod;

    private Contract(List<Operation> operations) {
        this.operations = List.copyOf(operations);
        Map<String, List<Operation>> index = new HashMap<>();
        // concrete paths before templated ones, as OpenAPI matches them
        operations.stream()
                .sorted(Comparator.comparing(operation -> operation.template().contains("{")))
                .forEach(operation -> index.computeIfAbsent(operation.method().text(), m -> new ArrayList<>())
                        .add(operation));
        index.replaceAll((method, list) -> List.copyOf(list));
        this.byMethod = Map.copyOf(index);
    }

    /**
     * A contract from a bundled document.
     *
     * @param document self-contained OpenAPI 3.0 document
     * @param name     where it came from, for messages
     * @return contract
     * @throws InvalidDocumentException if the document uses what the validation does not support
     */
    static Contract create(ObjectNode document, String name) {
        return new Builder(document, name).operations();
    }

    /**
     * The operation a request is for.
     *
     * @param method request method
     * @param path   request path
     * @return the operation and the path parameters it matched; empty when the document has none for this method and
     *         path (not under the contract)
     */
    Optional<Match> operation(Method method, UriPath path) {
        List<Operation> candidates = byMethod.get(method.text());
        if (candidates != null) {
            for (Operation operation : candidates) {
                Optional<Map<String, String>> parameters = operation.matcher().parameters(path);
                if (parameters.isPresent()) {
                    return Optional.of(new Match(operation, parameters.get()));
                }
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

    /**
     * The operation a request is for and what its path template matched.
     *
     * @param operation the operation
     * @param path      the path parameters
     */
    record Match(Operation operation, Map<String, String> path) {
    }

    /** Walks the document once and compiles what it finds. */
    private static final class Builder {
        private final ObjectNode document;
        private final String name;
        private final SchemaCompiler schemas;

        Builder(ObjectNode document, String name) {
            this.document = document;
            this.name = name;
            this.schemas = new SchemaCompiler(document, name);
        }

        Contract operations() {
            boolean allowUnknownQuery = document.path(ALLOW_UNKNOWN_QUERY).asBoolean(false);
            List<Operation> operations = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                String at = "/paths/" + escape(path.getKey());
                for (Iterator<Map.Entry<String, JsonNode>> items = path.getValue().fields(); items.hasNext(); ) {
                    Map.Entry<String, JsonNode> item = items.next();
                    if (METHODS.contains(item.getKey())) {
                        JsonNode node = item.getValue();
                        String where = at + "/" + item.getKey();
                        JsonNode allow = node.path(ALLOW_UNKNOWN_QUERY);
                        operations.add(new Operation(Method.create(item.getKey().toUpperCase(Locale.ROOT)), path.getKey(),
                                                     PathTemplate.create(path.getKey()),
                                                     allow.isBoolean() ? allow.booleanValue() : allowUnknownQuery,
                                                     parameters(path.getValue().path("parameters"), at + "/parameters",
                                                                node.path("parameters"), where + "/parameters"),
                                                     body(node.path("requestBody"), where + "/requestBody"),
                                                     responses(node.path("responses"), where + "/responses")));
                    }
                }
            }
            return new Contract(operations);
        }

        /** The path item's parameters, overridden (same name and location) by the operation's. */
        private List<Parameter> parameters(JsonNode common, String commonAt, JsonNode own, String ownAt) {
            Map<String, Parameter> merged = new LinkedHashMap<>();
            for (int i = 0; i < common.size(); i++) {
                parameter(common.get(i), commonAt + "/" + i).ifPresent(p -> merged.put(p.field(), p));
            }
            for (int i = 0; i < own.size(); i++) {
                parameter(own.get(i), ownAt + "/" + i).ifPresent(p -> merged.put(p.field(), p));
            }
            return List.copyOf(merged.values());
        }

        private Optional<Parameter> parameter(JsonNode node, String at) {
            JsonNode parameter = resolve(node);
            String in = parameter.path("in").asText("");
            if (!Set.of("path", "query", "header", "cookie").contains(in) || !parameter.path("name").isTextual()) {
                throw new InvalidDocumentException(name + " at #" + at + ": a parameter needs a name and in: path, query, "
                                                           + "header or cookie");
            }
            String parameterName = parameter.path("name").textValue();
            if (in.equals("header") && IGNORED_HEADERS.contains(parameterName.toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
            return Optional.of(compile(parameter, in, parameterName, in.equals("path"), at));
        }

        private Parameter compile(JsonNode parameter, String in, String parameterName, boolean required, String at) {
            if (parameter.has("content")) {
                throw new InvalidDocumentException(name + " at #" + at + ": parameters with content are not supported by "
                                                           + "the validation; give a schema");
            }
            JsonNode schema = resolve(parameter.path("schema"));
            String type = schema.path("type").asText("string");
            String itemType = resolve(schema.path("items")).path("type").asText("string");
            if (type.equals("object") || type.equals("array") && (itemType.equals("object") || itemType.equals("array"))) {
                throw new InvalidDocumentException(name + " at #" + at + ": object parameters are not supported by the "
                                                           + "validation");
            }
            String style = parameter.path("style").asText(in.equals("query") || in.equals("cookie") ? "form" : "simple");
            boolean explode = parameter.path("explode").asBoolean(style.equals("form"));
            return new Parameter(in, parameterName, required || parameter.path("required").asBoolean(false),
                                 schemas.compile(parameter.path("schema"), at + "/schema"), type, itemType, explode,
                                 HeaderNames.create(parameterName));
        }

        private Optional<Operation.RequestBody> body(JsonNode node, String at) {
            if (node.isMissingNode()) {
                return Optional.empty();
            }
            JsonNode body = resolve(node);
            return Optional.of(new Operation.RequestBody(body.path("required").asBoolean(false),
                                                         content(body.path("content"), at + "/content")));
        }

        private Map<String, Schema> content(JsonNode content, String at) {
            Map<String, Schema> byType = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> types = content.fields(); types.hasNext(); ) {
                Map.Entry<String, JsonNode> type = types.next();
                byType.put(type.getKey().toLowerCase(Locale.ROOT),
                           schemas.compile(type.getValue().path("schema"), at + "/" + escape(type.getKey()) + "/schema"));
            }
            return byType;
        }

        private Responses responses(JsonNode responses, String at) {
            Map<String, Responses.Response> byStatus = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> statuses = responses.fields(); statuses.hasNext(); ) {
                Map.Entry<String, JsonNode> status = statuses.next();
                String where = at + "/" + status.getKey();
                JsonNode response = resolve(status.getValue());
                List<Parameter> headers = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> named = response.path("headers").fields(); named.hasNext(); ) {
                    Map.Entry<String, JsonNode> header = named.next();
                    if (!header.getKey().equalsIgnoreCase("content-type")) {
                        headers.add(compile(resolve(header.getValue()), "header", header.getKey(), false,
                                            where + "/headers/" + escape(header.getKey())));
                    }
                }
                Map<String, Schema> content = content(response.path("content"), where + "/content");
                byStatus.put(status.getKey().toUpperCase(Locale.ROOT),
                             new Responses.Response(List.copyOf(headers), content.isEmpty()
                                     ? Optional.empty()
                                     : Optional.of(new Operation.RequestBody(true, content))));
            }
            return new Responses(Map.copyOf(byStatus));
        }

        /** A node, or what its local {@code $ref} names. */
        private JsonNode resolve(JsonNode node) {
            JsonNode resolved = node;
            for (int depth = 0; depth < 10 && resolved.path("$ref").isTextual(); depth++) {
                resolved = document.at(resolved.path("$ref").textValue().substring(1));
            }
            return resolved;
        }

        private static String escape(String name) {
            return name.replace("~", "~0").replace("/", "~1");
        }
    }
}
