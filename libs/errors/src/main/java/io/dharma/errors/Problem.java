package io.dharma.errors;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

/**
 * An RFC 9457 problem body with Dharma's extension members.
 *
 * @param type          URI identifying the problem type
 * @param title         short summary of the problem type
 * @param status        HTTP status code
 * @param detail        explanation specific to this occurrence, safe for clients
 * @param instance      the request path the problem occurred on
 * @param code          machine-readable {@link ErrorCode} name
 * @param correlationId correlation id of the request, the key to the server log
 * @param timestamp     when the problem occurred
 * @param errors        field errors for validation failures, otherwise empty
 * @param members       extension members (numbers or strings), e.g. {@code retryAfter} of a 429
 */
public record Problem(String type,
                      String title,
                      int status,
                      String detail,
                      String instance,
                      String code,
                      String correlationId,
                      Instant timestamp,
                      List<FieldError> errors,
                      Map<String, Object> members) {

    /**
     * Copies the collections.
     */
    public Problem {
        errors = List.copyOf(errors);
        members = Map.copyOf(members);
    }

    /** Looked up once: {@code Json.create*} runs a ServiceLoader scan of the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    /** Media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * Canonical JSON form of this problem; {@code errors} is present only when not empty.
     *
     * @return JSON object
     */
    public JsonObject toJson() {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("type", type)
                .add("title", title)
                .add("status", status)
                .add("detail", detail)
                .add("instance", instance)
                .add("code", code)
                .add("correlationId", correlationId)
                .add("timestamp", timestamp.toString());
        members.forEach((name, value) -> {
            switch (value) {
            case Integer i -> json.add(name, i);
            case Long l -> json.add(name, l);
            case Number n -> json.add(name, n.doubleValue());
            default -> json.add(name, value.toString());
            }
        });
        if (!errors.isEmpty()) {
            JsonArrayBuilder list = JSON.createArrayBuilder();
            errors.forEach(e -> list.add(JSON.createObjectBuilder().add("field", e.field()).add("message", e.message())));
            json.add("errors", list);
        }
        return json.build();
    }

    /**
     * The text of {@link #toJson()}, written directly: a problem's shape is fixed, so the answer to a flood of bad
     * requests needs no JSON object tree. Members other than strings, integers and longs take the tree's path.
     *
     * @return the same text as {@code toJson().toString()}
     */
    String json() {
        StringBuilder out = new StringBuilder(256 + detail.length() + instance.length());
        out.append('{');
        field(out, "type", type).append(',');
        field(out, "title", title).append(",\"status\":").append(status).append(',');
        field(out, "detail", detail).append(',');
        field(out, "instance", instance).append(',');
        field(out, "code", code).append(',');
        field(out, "correlationId", correlationId).append(',');
        timestamp(out.append("\"timestamp\":\""), timestamp).append('"');
        for (Map.Entry<String, Object> member : members.entrySet()) {
            out.append(',');
            switch (member.getValue()) {
            case String text -> field(out, member.getKey(), text);
            case Integer number -> string(out, member.getKey()).append(':').append(number.intValue());
            case Long number -> string(out, member.getKey()).append(':').append(number.longValue());
            default -> {
                return toJson().toString();
            }
            }
        }
        if (!errors.isEmpty()) {
            out.append(",\"errors\":[");
            for (int i = 0; i < errors.size(); i++) {
                out.append(i == 0 ? "{" : ",{");
                field(out, "field", errors.get(i).field()).append(',');
                field(out, "message", errors.get(i).message()).append('}');
            }
            out.append(']');
        }
        return out.append('}').toString();
    }

    /**
     * {@link Instant#toString()}'s text, with the text of the second kept from the last call: the formatter behind it
     * costs a flood of bad requests more than the rest of the problem.
     */
    private static StringBuilder timestamp(StringBuilder out, Instant instant) {
        Second second = lastSecond;
        if (second.epochSecond() != instant.getEpochSecond()) {
            String text = Instant.ofEpochSecond(instant.getEpochSecond()).toString();
            second = new Second(instant.getEpochSecond(), text.substring(0, text.length() - 1));
            lastSecond = second;
        }
        out.append(second.text());
        int nanos = instant.getNano();
        if (nanos != 0) {
            int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
            int fraction = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos;
            out.append('.');
            for (int scale = digits == 3 ? 100 : digits == 6 ? 100_000 : 100_000_000; scale > 0; scale /= 10) {
                out.append((char) ('0' + fraction / scale % 10));
            }
        }
        return out.append('Z');
    }

    /** An epoch second and its text without the zone, e.g. {@code 2026-12-05T13:05:18}. */
    private record Second(long epochSecond, String text) {
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        return string(string(out, name).append(':'), value);
    }

    /** A JSON string, escaped as JSON-P escapes it: quote, backslash and control characters. */
    private static StringBuilder string(StringBuilder out, String text) {
        out.append('"');
        int n = text.length();
        int plain = 0;
        for (char c; plain < n && (c = text.charAt(plain)) >= 0x20 && c != '"' && c != '\\'; plain++) {
            // the common case: nothing to escape
        }
        if (plain == n) {
            return out.append(text).append('"');
        }
        out.append(text, 0, plain);
        for (int i = plain; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
            case '"', '\\' -> out.append('\\').append(c);
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c < 0x20) {
                    out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                } else {
                    out.append(c);
                }
            }
            }
        }
        return out.append('"');
    }

    /**
     * Read a problem from its JSON form (for clients and tests).
     *
     * @param json problem JSON
     * @return problem, empty if required members are missing
     */
    public static Optional<Problem> fromJson(JsonObject json) {
        if (!json.containsKey("status") || !json.containsKey("code")) {
            return Optional.empty();
        }
        List<FieldError> errors = json.containsKey("errors")
                ? json.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                        .map(e -> new FieldError(e.getString("field"), e.getString("message")))
                        .toList()
                : List.of();
        return Optional.of(new Problem(json.getString("type", "about:blank"),
                                       json.getString("title", ""),
                                       json.getInt("status"),
                                       json.getString("detail", ""),
                                       json.getString("instance", ""),
                                       json.getString("code"),
                                       json.getString("correlationId", ""),
                                       Instant.parse(json.getString("timestamp", Instant.EPOCH.toString())),
                                       errors,
                                       Map.of()));
    }
}
