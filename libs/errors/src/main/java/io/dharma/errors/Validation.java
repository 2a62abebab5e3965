package io.dharma.errors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every broken rule of an input before failing once with all of them, so a client fixes a request in one
 * round trip.
 * <pre>{@code
 * Validation.start()
 *         .require(name != null, "name", "is required")
 *         .length("name", name, 3, 100)
 *         .oneOf("targetCloud", cloud, Set.of("aws", "azure", "gcp"))
 *         .throwIfInvalid();
 * }</pre>
 */
public final class Validation {
    private final List<FieldError> errors = new ArrayList<>();

    private Validation() {
    }

    /**
     * Start collecting.
     *
     * @return empty validation
     */
    public static Validation start() {
        return new Validation();
    }

    /**
     * Record an error unless the condition holds.
     *
     * @param condition the rule
     * @param field     field name or JSON pointer
     * @param message   what is wrong when the rule is broken
     * @return this
     */
    public Validation require(boolean condition, String field, String message) {
        if (!condition) {
            errors.add(new FieldError(field, message));
        }
        return this;
    }

    /**
     * Require a present value whose length is within bounds.
     *
     * @param field field name
     * @param value value, may be null (then "is required")
     * @param min   minimum length
     * @param max   maximum length
     * @return this
     */
    public Validation length(String field, String value, int min, int max) {
        if (value == null) {
            return require(false, field, "is required");
        }
        return require(value.length() >= min && value.length() <= max, field,
                       "must be between " + min + " and " + max + " characters");
    }

    /**
     * Optional value whose length is at most {@code max} when present.
     *
     * @param field field name
     * @param value value, may be null
     * @param max   maximum length
     * @return this
     */
    public Validation maxLength(String field, String value, int max) {
        return require(value == null || value.length() <= max, field, "must be at most " + max + " characters");
    }

    /**
     * Require a present value from a closed set.
     *
     * @param field   field name
     * @param value   value, may be null (then "is required")
     * @param allowed the allowed values
     * @return this
     */
    public Validation oneOf(String field, String value, Collection<String> allowed) {
        if (value == null) {
            return require(false, field, "is required");
        }
        return require(allowed.contains(value), field, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
    }

    /**
     * Require an integer within bounds.
     *
     * @param field field name
     * @param value value, may be null (then "is required")
     * @param min   minimum
     * @param max   maximum
     * @return this
     */
    public Validation range(String field, Integer value, int min, int max) {
        if (value == null) {
            return require(false, field, "is required");
        }
        return require(value >= min && value <= max, field, "must be between " + min + " and " + max);
    }

    /**
     * Require a value matching a pattern when present.
     *
     * @param field       field name
     * @param value       value, may be null
     * @param pattern     pattern the whole value must match
     * @param description what the pattern means, for the message
     * @return this
     */
    public Validation matches(String field, String value, Pattern pattern, String description) {
        return require(value == null || pattern.matcher(value).matches(), field, "must be " + description);
    }

    /**
     * Whether no rule was broken so far.
     *
     * @return true if valid
     */
    public boolean valid() {
        return errors.isEmpty();
    }

    /**
     * Fail with 400 VALIDATION_FAILED listing every broken rule, if any.
     *
     * @throws ApiException when a rule was broken
     */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }
}
