package io.dharma.openapi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

import io.helidon.http.HeaderName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * One parameter of an operation (path, query, header or cookie), compiled: its values, which arrive as strings, are
 * read as the type of its schema ({@code limit=5} an integer, {@code total=true} a boolean) and checked against it;
 * violations name the parameter {@code <in>/<name>} ({@code query/limit}).
 *
 * @param in       where it is sent: {@code path}, {@code query}, {@code header} or {@code cookie}
 * @param name     its name
 * @param required whether a request must send it
 * @param schema   its schema
 * @param type     the schema's type ({@code string} when it has none)
 * @param itemType for an array, its items' type
 * @param explode  for an array: one value per repetition ({@code ?tag=a&tag=b}) rather than comma-separated
 * @param header   its name as a header name (looked up once, not per request)
 */
record Parameter(String in, String name, boolean required, Schema schema, String type, String itemType, boolean explode,
                 HeaderName header) {
    /**
     * The field violations of this parameter are reported at.
     *
     * @return {@code <in>/<name>}
     */
    String field() {
        return in + "/" + name;
    }

    /**
     * Check the values a request sent.
     *
     * @param values the values, empty when the request did not send the parameter
     * @param out    where violations are added
     */
    void check(List<String> values, List<Violation> out) {
        if (values.isEmpty()) {
            if (required) {
                out.add(new Violation(field(), "required", "is required"));
            }
            return;
        }
        if (type.equals("array")) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode(values.size());
            for (String value : values) {
                for (String item : explode ? List.of(value) : List.of(value.split(",", -1))) {
                    JsonNode node = read(item, itemType);
                    if (node == null) {
                        out.add(new Violation(field(), "type", "must be a list of " + itemType));
                        return;
                    }
                    array.add(node);
                }
            }
            checkValue(array, out);
            return;
        }
        for (String value : values) {
            JsonNode node = read(value, type);
            if (node == null) {
                out.add(new Violation(field(), "type", "must be of type " + type));
            } else {
                checkValue(node, out);
            }
        }
    }

    private void checkValue(JsonNode node, List<Violation> out) {
        int before = out.size();
        schema.check(node, "", out);
        for (int i = before; i < out.size(); i++) {
            out.set(i, out.get(i).at(field()));
        }
    }

    /** A value read as a type; {@code null} when it is not of that type. */
    private static JsonNode read(String value, String type) {
        try {
            return switch (type) {
                case "integer" -> value.length() < 19 ? LongNode.valueOf(Long.parseLong(value))
                        : BigIntegerNode.valueOf(new BigInteger(value));
                case "number" -> DecimalNode.valueOf(new BigDecimal(value));
                case "boolean" -> value.equals("true") ? BooleanNode.TRUE : value.equals("false") ? BooleanNode.FALSE : null;
                default -> TextNode.valueOf(value);
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
