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
