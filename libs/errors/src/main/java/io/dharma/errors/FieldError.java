package io.dharma.errors;

/**
 * One broken rule in a {@link ErrorCode#VALIDATION_FAILED} problem.
 *
 * @param field   the field, parameter or JSON pointer that is wrong
 * @param message what is wrong with it, safe to show to the client
 */
public record FieldError(String field, String message) {
}
