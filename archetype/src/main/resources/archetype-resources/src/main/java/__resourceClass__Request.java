package ${package};

import io.dharma.errors.Validation;

import org.jspecify.annotations.Nullable;

/**
 * Body of create and replace requests; JSON fields that are missing arrive as {@code null}.
 *
 * @param name        required, 1..100 characters after trimming, unique per owner
 * @param description optional, up to 2000 characters
 */
public record ${resourceClass}Request(@Nullable String name, @Nullable String description) {
    /** Longest name. */
    static final int MAX_NAME = 100;
    /** Longest description. */
    static final int MAX_DESCRIPTION = 2000;

    /**
     * Check every rule and fail once with all broken ones (400 VALIDATION_FAILED). The OpenAPI request validation
     * ({@code META-INF/openapi.yaml}) has checked the shape already; this stays for what the document cannot say (a
     * name of white space) and in case validation is turned off. Fields are JSON Pointers, as in its problems.
     */
    void validate() {
        Validation.start()
                .length("/name", name == null ? null : name.strip(), 1, MAX_NAME)
                .maxLength("/description", description, MAX_DESCRIPTION)
                .throwIfInvalid();
    }

    /**
     * The name without surrounding white space; call after {@link ${resourceClass}Request#validate()}.
     *
     * @return trimmed name
     */
    String trimmedName() {
        return name == null ? "" : name.strip();
    }
}
