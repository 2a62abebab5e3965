package io.dharma.openapi;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Compiles the schemas of one bundled OpenAPI 3.0 document into {@link Schema}s, once, at start-up. A {@code $ref} is
 * compiled once however often it is used (recursive schemas included). A keyword this compiler does not know stops the
 * service with {@link InvalidDocumentException} rather than being skipped: the document would promise a check that is
 * not made. Formats: {@code uuid}, {@code date-time}, {@code date}, {@code int32} and {@code int64} are checked; others
 * ({@code email}, {@code password}, ...) are annotations, as OpenAPI allows.
 */
final class SchemaCompiler {
    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "array", "object");
    /** Keywords that describe and do not constrain. */
    private static final Set<String> ANNOTATIONS = Set.of("description", "title", "default", "example", "examples",
                                                          "readOnly", "writeOnly", "deprecated", "xml", "externalDocs",
                                                          "discriminator", "$comment");

    private final JsonNode document;
    private final String name;
    private final Map<String, Schema> references = new HashMap<>();

    /**
     * A compiler for the schemas of a document.
     *
     * @param document bundled document (every {@code $ref} is local)
     * @param name     where it came from, for messages
     */
    SchemaCompiler(JsonNode document, String name) {
        this.document = document;
        this.name = name;
    }

    /**
     * Compile a schema of the document.
     *
     * @param node  the schema object
     * @param where JSON Pointer of it in the document, for messages
     * @return the compiled schema
     * @throws InvalidDocumentException if the schema uses a keyword or value this compiler does not support
     */
    Schema compile(JsonNode node, String where) {
        if (node == null || node.isMissingNode()) {
            return Schema.ANY;
        }
        if (!node.isObject()) {
            throw invalid(where, "a schema must be an object");
        }
        JsonNode ref = node.get("$ref");
        if (ref != null) {
            return reference(ref, where);
        }
        return fill(new Schema(), node, where);
    }

    private Schema fill(Schema schema, JsonNode node, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String at = where + "/" + field.getKey();
            if (!ANNOTATIONS.contains(field.getKey()) && !field.getKey().startsWith("x-")) {
                keyword(schema, field.getKey(), field.getValue(), at);
            }
        }
        if (schema.exclusiveMinimum && schema.minimum == null || schema.exclusiveMaximum && schema.maximum == null) {
            throw invalid(where, "exclusiveMinimum / exclusiveMaximum need minimum / maximum");
        }
        return schema;
    }

    private void keyword(Schema schema, String keyword, JsonNode value, String at) {
        switch (keyword) {
            case "type" -> {
                if (!value.isTextual() || !TYPES.contains(value.textValue())) {
                    throw invalid(at, "type must be one of " + TYPES + " (OpenAPI 3.0: one type, nullable for null)");
                }
                schema.type = value.textValue();
            }
            case "nullable" -> schema.nullable = bool(value, at);
            case "enum" -> {
                if (!value.isArray() || value.isEmpty()) {
                    throw invalid(at, "enum must be a non-empty list");
                }
                List<JsonNode> allowed = new ArrayList<>();
                value.forEach(allowed::add);
                schema.enumValues = List.copyOf(allowed);
            }
            case "format" -> {
                schema.format = text(value, at);
                schema.formatCheck = format(schema.format);
            }
            case "pattern" -> schema.pattern = pattern(text(value, at), at);
            case "minLength" -> schema.minLength = count(value, at);
            case "maxLength" -> schema.maxLength = count(value, at);
            case "minimum" -> schema.minimum = number(value, at);
            case "maximum" -> schema.maximum = number(value, at);
            case "exclusiveMinimum" -> schema.exclusiveMinimum = bool(value, at);
            case "exclusiveMaximum" -> schema.exclusiveMaximum = bool(value, at);
            case "multipleOf" -> schema.multipleOf = number(value, at);
            case "minItems" -> schema.minItems = count(value, at);
            case "maxItems" -> schema.maxItems = count(value, at);
            case "uniqueItems" -> schema.uniqueItems = bool(value, at);
            case "items" -> schema.items = compile(value, at);
            case "properties" -> schema.properties = properties(value, at);
            case "required" -> schema.required = names(value, at);
            case "additionalProperties" -> schema.additionalProperties = value.isBoolean()
                    ? (value.booleanValue() ? Schema.ANY : null)
                    : compile(value, at);
            case "minProperties" -> schema.minProperties = count(value, at);
            case "maxProperties" -> schema.maxProperties = count(value, at);
            case "allOf" -> schema.allOf = all(value, at);
            case "anyOf" -> schema.anyOf = all(value, at);
            case "oneOf" -> schema.oneOf = all(value, at);
            case "not" -> schema.not = compile(value, at);
            default -> throw invalid(at, "the schema keyword '" + keyword + "' is not supported by the validation");
        }
    }

    private Schema reference(JsonNode ref, String where) {
        if (!ref.isTextual() || !ref.textValue().startsWith("#")) {
            throw invalid(where, "$ref must be a local reference once bundled, got " + ref);
        }
        String pointer = ref.textValue().substring(1);
        Schema known = references.get(pointer);
        if (known != null) {
            return known;
        }
        JsonNode target = document.at(pointer);
        if (target.isMissingNode()) {
            throw invalid(where, "$ref " + ref.textValue() + " names nothing");
        }
        if (target.has("$ref")) {
            Schema schema = reference(target.get("$ref"), pointer);
            references.put(pointer, schema);
            return schema;
        }
        // registered before compiling, so a schema that refers to itself finds itself
        Schema schema = new Schema();
        references.put(pointer, schema);
        if (!target.isObject()) {
            throw invalid(pointer, "a schema must be an object");
        }
        return fill(schema, target, pointer);
    }

    private Map<String, Schema> properties(JsonNode value, String at) {
        if (!value.isObject()) {
            throw invalid(at, "properties must be an object");
        }
        Map<String, Schema> properties = new LinkedHashMap<>();
        value.fields().forEachRemaining(p -> properties.put(p.getKey(), compile(p.getValue(), at + "/" + p.getKey())));
        return Map.copyOf(properties);
    }

    private List<Schema> all(JsonNode value, String at) {
        if (!value.isArray() || value.isEmpty()) {
            throw invalid(at, "must be a non-empty list of schemas");
        }
        List<Schema> schemas = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            schemas.add(compile(value.get(i), at + "/" + i));
        }
        return List.copyOf(schemas);
    }

    private List<String> names(JsonNode value, String at) {
        if (!value.isArray()) {
            throw invalid(at, "required must be a list of names");
        }
        List<String> names = new ArrayList<>();
        value.forEach(n -> names.add(text(n, at)));
        return List.copyOf(names);
    }

    private static Predicate<JsonNode> format(String format) {
        return switch (format) {
            case "uuid" -> node -> !node.isTextual() || uuid(node.textValue());
            case "date-time" -> node -> !node.isTextual() || parses(node.textValue(), true);
            case "date" -> node -> !node.isTextual() || parses(node.textValue(), false);
            case "int32" -> node -> !node.isIntegralNumber() || node.canConvertToInt();
            case "int64" -> node -> !node.isIntegralNumber() || node.canConvertToLong();
            default -> null;
        };
    }

    /**
     * Whether a string is a UUID ({@code 8-4-4-4-12} hexadecimal digits).
     *
     * @param text the string
     * @return whether it is one
     */
    static boolean uuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean parses(String text, boolean dateTime) {
        try {
            if (dateTime) {
                OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            } else {
                LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
            }
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private Pattern pattern(String regex, String at) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw invalid(at, "pattern is not a regular expression: " + e.getDescription());
        }
    }

    private boolean bool(JsonNode value, String at) {
        if (!value.isBoolean()) {
            throw invalid(at, "must be true or false");
        }
        return value.booleanValue();
    }

    private Integer count(JsonNode value, String at) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw invalid(at, "must be a non-negative integer");
        }
        return value.intValue();
    }

    private BigDecimal number(JsonNode value, String at) {
        if (!value.isNumber()) {
            throw invalid(at, "must be a number");
        }
        return value.decimalValue();
    }

    private String text(JsonNode value, String at) {
        if (!value.isTextual()) {
            throw invalid(at, "must be a string");
        }
        return value.textValue();
    }

    private InvalidDocumentException invalid(String at, String message) {
        return new InvalidDocumentException(name + " at #" + at + ": " + message);
    }
}
