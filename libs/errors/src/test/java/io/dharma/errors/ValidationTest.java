package io.dharma.errors;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each rule passes on its good values, records one field error on a bad one, and every error is reported at once. */
class ValidationTest {
    private static final Pattern SLUG = Pattern.compile("[a-z]+");

    @Test
    void goodValuesPassEveryRule() {
        Validation validation = Validation.start()
                .require(true, "a", "never")
                .length("name", "bolt", 3, 4)
                .maxLength("note", null, 3)
                .maxLength("note", "abc", 3)
                .oneOf("cloud", "aws", List.of("gcp", "aws"))
                .range("count", 5, 5, 5)
                .matches("slug", null, SLUG, "lower-case letters")
                .matches("slug", "abc", SLUG, "lower-case letters");
        assertThat(validation.valid(), is(true));
        validation.throwIfInvalid();
    }

    @Test
    void everyBrokenRuleIsReportedWithItsFieldAndMessage() {
        Validation validation = Validation.start()
                .require(false, "a", "is wrong")
                .length("short", "ab", 3, 10)
                .length("long", "abcdefghijk", 3, 10)
                .length("missing", null, 3, 10)
                .maxLength("note", "abcd", 3)
                .oneOf("cloud", "ibm", List.of("gcp", "aws"))
                .oneOf("region", null, List.of("eu"))
                .range("low", 0, 1, 5)
                .range("high", 6, 1, 5)
                .range("none", null, 1, 5)
                .matches("slug", "A1", SLUG, "lower-case letters");
        assertThat(validation.valid(), is(false));
        ApiException e = assertThrows(ApiException.class, validation::throwIfInvalid);
        assertThat(e.code(), is(ErrorCode.VALIDATION_FAILED));
        assertThat(e.errors(), contains(
                new FieldError("a", "is wrong"),
                new FieldError("short", "must be between 3 and 10 characters"),
                new FieldError("long", "must be between 3 and 10 characters"),
                new FieldError("missing", "is required"),
                new FieldError("note", "must be at most 3 characters"),
                new FieldError("cloud", "must be one of aws, gcp"),
                new FieldError("region", "is required"),
                new FieldError("low", "must be between 1 and 5"),
                new FieldError("high", "must be between 1 and 5"),
                new FieldError("none", "is required"),
                new FieldError("slug", "must be lower-case letters")));
    }
}
