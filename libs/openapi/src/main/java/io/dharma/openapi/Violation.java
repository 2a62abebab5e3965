package io.dharma.openapi;

/**
 * One broken rule of the document.
 *
 * @param field   what is wrong: a JSON Pointer into the body ({@code /resources/0/type}) or {@code <in>/<name>} for a
 *                parameter ({@code query/limit})
 * @param keyword the schema keyword (or check) that failed, e.g. {@code maxLength}, {@code additionalProperties}
 * @param message the message for the client, e.g. {@code must be at most 20 characters}
 */
record Violation(String field, String keyword, String message) {
    /**
     * The same violation at another place.
     *
     * @param other field name
     * @return violation
     */
    Violation at(String other) {
        return new Violation(other, keyword, message);
    }
}
