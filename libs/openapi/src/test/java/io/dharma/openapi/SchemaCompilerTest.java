package io.dharma.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The schema compiler: each keyword checked with the documented message at the right pointer, references (recursive
 * ones too) compiled once, and what it does not support refused at start-up instead of skipped.
 */
class SchemaCompilerTest {
    @Test
    void uuidFormatAgreesWithItsGrammar() {
        Pattern grammar = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
        String alphabet = "0af9AFgG-z ";
        Random random = new Random(4122);
        for (int i = 0; i < 20_000; i++) {
            char[] text = (i % 2 == 0 ? UUID.randomUUID().toString() : "x".repeat(30 + random.nextInt(10))).toCharArray();
            for (int change = random.nextInt(3); change > 0; change--) {
                text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String candidate = new String(text);
            assertThat(candidate, SchemaCompiler.uuid(candidate), is(grammar.matcher(candidate).matches()));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keywordsReportTheirMessagesAtTheirPointers() {
        Schema schema = compile("""
                {"components": {"schemas": {"S": {"type": "object", "additionalProperties": false, "required": ["id"],
                  "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "at": {"type": "string", "format": "date-time"},
                    "note": {"type": "string", "nullable": true, "maxLength": 3},
                    "ratio": {"type": "number", "minimum": 0, "maximum": 1, "exclusiveMaximum": true},
                    "big": {"type": "integer", "format": "int32"},
                    "tags": {"type": "array", "minItems": 1, "uniqueItems": true, "items": {"type": "string"}},
                    "shape": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}}}}""");
        assertThat(check(schema, """
                {"id": "nope", "at": "yesterday", "note": null, "ratio": 1, "big": 3000000000, "tags": ["a", "a"],
                 "shape": true, "extra": 1}"""), containsInAnyOrder(
                "/id: must be a UUID",
                "/at: must be a valid date-time",
                "/ratio: must be less than 1",
                "/big: must be a valid int32",
                "/tags: must not contain the same item twice",
                "/shape: must match exactly one of 2 shapes, matches 0; the closest breaks / must be of type string",
                "/extra: is not allowed"));
        assertThat(check(schema, """
                {"id": "7c0ad6b4-3f2e-4b8e-9d51-1c2b3a4d5e6f", "at": "2026-12-04T17:00:00Z", "note": "abc", "ratio": 0.5,
                 "tags": ["a"], "shape": 3}"""), is(empty()));
        assertThat(check(schema, "{\"note\": \"abcd\"}"), containsInAnyOrder("/id: is required",
                                                                          "/note: must be at most 3 characters"));
    }

    @Test
    void referencesCompileOnceAndMayRecurse() {
        Schema schema = compile("""
                {"components": {"schemas": {"S": {"$ref": "#/components/schemas/Node"},
                  "Node": {"type": "object", "properties": {"name": {"type": "string", "minLength": 1},
                                                            "children": {"type": "array",
                                                                         "items": {"$ref": "#/components/schemas/Node"}}}}}}}""");
        assertThat(check(schema, "{\"children\": [{\"children\": [{\"name\": \"\"}]}]}"),
                   containsInAnyOrder("/children/0/children/0/name: must be at least 1 characters"));
    }

    @Test
    void whatIsNotSupportedStopsTheServiceNamingThePlace() {
        assertThat(assertThrows(InvalidDocumentException.class, () -> compile("""
                {"components": {"schemas": {"S": {"type": "object", "properties": {"a": {"if": {}}}}}}}""")).getMessage(),
                   is("test.yaml at #/components/schemas/S/properties/a/if: the schema keyword 'if' is not supported by the "
                              + "validation"));
        assertThat(assertThrows(InvalidDocumentException.class, () -> compile("""
                {"components": {"schemas": {"S": {"type": ["string", "null"]}}}}""")).getMessage(),
                   containsString("type must be one of"));
        assertThat(assertThrows(InvalidDocumentException.class, () -> compile("""
                {"components": {"schemas": {"S": {"type": "string", "pattern": "(unclosed"}}}}""")).getMessage(),
                   containsString("pattern is not a regular expression"));
    }

    private static Schema compile(String document) {
        try {
            JsonNode tree = JSON.readTree(document);
            return new SchemaCompiler(tree, "test.yaml").compile(tree.at("/components/schemas/S"), "/components/schemas/S");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> check(Schema schema, String value) {
        List<Violation> found = new ArrayList<>();
        try {
            schema.check(JSON.readTree(value), "", found);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found.stream().map(v -> (v.field().isEmpty() ? "/" : v.field()) + ": " + v.message()).toList();
    }
}
