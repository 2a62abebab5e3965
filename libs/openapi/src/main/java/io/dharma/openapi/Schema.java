package io.dharma.openapi;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One schema of the document, compiled once by {@link SchemaCompiler}: every keyword it has is a field here (a pattern
 * is a compiled {@link Pattern}, a reference the compiled schema it names), so checking a value walks the value once and
 * looks nothing up. Fields not set stand for keywords the schema does not have. Violations are reported with the
 * messages of {@code docs/api.md} ({@code must be at most 20 characters}) at a JSON Pointer into the value.
 */
final class Schema {
    /** A schema without keywords: anything goes. */
    static final Schema ANY = new Schema();

    String type;
    boolean nullable;
    List<JsonNode> enumValues;
    String format;
    Predicate<JsonNode> formatCheck;
    Pattern pattern;
    Integer minLength;
    Integer maxLength;
    BigDecimal minimum;
    BigDecimal maximum;
    boolean exclusiveMinimum;
    boolean exclusiveMaximum;
    BigDecimal multipleOf;
    Integer minItems;
    Integer maxItems;
    boolean uniqueItems;
    Schema items;
    Map<String, Schema> properties = Map.of();
    List<String> required = List.of();
    /** Schema of members not in {@link #properties}; {@code null} when {@code additionalProperties: false}. */
    Schema additionalProperties = ANY;
    Integer minProperties;
    Integer maxProperties;
    List<Schema> allOf = List.of();
    List<Schema> anyOf = List.of();
    List<Schema> oneOf = List.of();
    Schema not;

    /**
     * Check a value.
     *
     * @param value   the value
     * @param pointer JSON Pointer of the value ({@code ""} for the document's root)
     * @param out     where violations are added
     */
    void check(JsonNode value, String pointer, List<Violation> out) {
        if (value.isNull()) {
            if (!nullable && type != null) {
                out.add(violation(pointer, "type", "must be of type " + type));
            }
            return;
        }
        if (type != null && !hasType(value)) {
            out.add(violation(pointer, "type", "must be of type " + type));
            return;
        }
        if (enumValues != null && enumValues.stream().noneMatch(allowed -> same(allowed, value))) {
            out.add(violation(pointer, "enum", "must be one of " + enumValues.stream().map(JsonNode::asText)
                    .collect(Collectors.joining(", "))));
        }
        if (value.isTextual()) {
            checkString(value, pointer, out);
        } else if (value.isNumber()) {
            checkNumber(value, pointer, out);
        } else if (value.isArray()) {
            checkArray(value, pointer, out);
        } else if (value.isObject()) {
            checkObject(value, pointer, out);
        }
        if (formatCheck != null && !formatCheck.test(value)) {
            out.add(violation(pointer, "format", "uuid".equals(format) ? "must be a UUID" : "must be a valid " + format));
        }
        for (Schema schema : allOf) {
            schema.check(value, pointer, out);
        }
        checkCombinations(value, pointer, out);
    }

    /**
     * Whether a value keeps this schema.
     *
     * @param value the value
     * @return true when {@link #check} finds nothing
     */
    boolean accepts(JsonNode value) {
        List<Violation> found = new ArrayList<>(0);
        check(value, "", found);
        return found.isEmpty();
    }

    /** The pointer of member {@code name} of the object at {@code parent} (RFC 6901 escaping). */
    static String child(String parent, String name) {
        return parent + "/" + (name.indexOf('~') < 0 && name.indexOf('/') < 0 ? name
                : name.replace("~", "~0").replace("/", "~1"));
    }

    private boolean hasType(JsonNode value) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> true;
        };
    }

    private void checkString(JsonNode value, String pointer, List<Violation> out) {
        String text = value.textValue();
        if (minLength != null || maxLength != null) {
            int length = text.codePointCount(0, text.length());
            if (minLength != null && length < minLength) {
                out.add(violation(pointer, "minLength", "must be at least " + minLength + " characters"));
            }
            if (maxLength != null && length > maxLength) {
                out.add(violation(pointer, "maxLength", "must be at most " + maxLength + " characters"));
            }
        }
        if (pattern != null && !pattern.matcher(text).find()) {
            out.add(violation(pointer, "pattern", "must match " + pattern.pattern()));
        }
    }

    private void checkNumber(JsonNode value, String pointer, List<Violation> out) {
        if (minimum == null && maximum == null && multipleOf == null) {
            return;
        }
        BigDecimal number = value.decimalValue();
        if (minimum != null && (exclusiveMinimum ? number.compareTo(minimum) <= 0 : number.compareTo(minimum) < 0)) {
            out.add(violation(pointer, "minimum", (exclusiveMinimum ? "must be greater than " : "must be at least ")
                    + minimum.toPlainString()));
        }
        if (maximum != null && (exclusiveMaximum ? number.compareTo(maximum) >= 0 : number.compareTo(maximum) > 0)) {
            out.add(violation(pointer, "maximum", (exclusiveMaximum ? "must be less than " : "must be at most ")
                    + maximum.toPlainString()));
        }
        if (multipleOf != null && number.remainder(multipleOf).signum() != 0) {
            out.add(violation(pointer, "multipleOf", "must be a multiple of " + multipleOf.toPlainString()));
        }
    }

    private void checkArray(JsonNode value, String pointer, List<Violation> out) {
        int size = value.size();
        if (minItems != null && size < minItems) {
            out.add(violation(pointer, "minItems", "must have at least " + minItems + " items"));
        }
        if (maxItems != null && size > maxItems) {
            out.add(violation(pointer, "maxItems", "must have at most " + maxItems + " items"));
        }
        if (uniqueItems && new HashSet<>(listOf(value)).size() < size) {
            out.add(violation(pointer, "uniqueItems", "must not contain the same item twice"));
        }
        if (items != null && items != ANY) {
            for (int i = 0; i < size; i++) {
                items.check(value.get(i), pointer + "/" + i, out);
            }
        }
    }

    private void checkObject(JsonNode value, String pointer, List<Violation> out) {
        for (String name : required) {
            if (!value.has(name)) {
                out.add(violation(child(pointer, name), "required", "is required"));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            Schema schema = properties.get(field.getKey());
            if (schema == null) {
                schema = additionalProperties;
                if (schema == null) {
                    out.add(violation(child(pointer, field.getKey()), "additionalProperties", "is not allowed"));
                    continue;
                }
            }
            if (schema != ANY) {
                schema.check(field.getValue(), child(pointer, field.getKey()), out);
            }
        }
        if (minProperties != null && value.size() < minProperties) {
            out.add(violation(pointer, "minProperties", "must have at least " + minProperties + " members"));
        }
        if (maxProperties != null && value.size() > maxProperties) {
            out.add(violation(pointer, "maxProperties", "must have at most " + maxProperties + " members"));
        }
    }

    private void checkCombinations(JsonNode value, String pointer, List<Violation> out) {
        if (!anyOf.isEmpty() && anyOf.stream().noneMatch(schema -> schema.accepts(value))) {
            out.add(violation(pointer, "anyOf", "must match at least one of " + anyOf.size() + " shapes; "
                    + closest(anyOf, value)));
        }
        if (!oneOf.isEmpty()) {
            long matching = oneOf.stream().filter(schema -> schema.accepts(value)).count();
            if (matching != 1) {
                out.add(violation(pointer, "oneOf", "must match exactly one of " + oneOf.size() + " shapes, matches "
                        + matching + (matching == 0 ? "; " + closest(oneOf, value) : "")));
            }
        }
        if (not != null && not.accepts(value)) {
            out.add(violation(pointer, "not", "must not match the excluded shape"));
        }
    }

    /** What the alternative that comes closest to a value finds wrong with it, for the message. */
    private static String closest(List<Schema> alternatives, JsonNode value) {
        List<Violation> best = null;
        for (Schema schema : alternatives) {
            List<Violation> found = new ArrayList<>();
            schema.check(value, "", found);
            if (best == null || found.size() < best.size()) {
                best = found;
            }
        }
        return "the closest breaks " + best.stream().map(v -> (v.field().isEmpty() ? "/" : v.field()) + " " + v.message())
                .collect(Collectors.joining(", "));
    }

    private static boolean same(JsonNode allowed, JsonNode value) {
        return allowed.isNumber() && value.isNumber() ? allowed.decimalValue().compareTo(value.decimalValue()) == 0
                : allowed.equals(value);
    }

    private static List<JsonNode> listOf(JsonNode array) {
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return list;
    }

    private static Violation violation(String pointer, String keyword, String message) {
        return new Violation(pointer, keyword, message);
    }
}
