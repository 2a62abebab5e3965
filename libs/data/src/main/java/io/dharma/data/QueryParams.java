package io.dharma.data;

import java.util.Optional;
import java.util.regex.Pattern;

import io.dharma.errors.ApiException;

/** Strict parsing of pagination query parameters: digits only, no sign, no spaces; blank means absent. */
final class QueryParams {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private QueryParams() {
    }

    static int intParam(Optional<String> raw, String name, int defaultValue, int min, int max) {
        Optional<String> value = raw.filter(v -> !v.isBlank());
        if (value.isEmpty()) {
            return defaultValue;
        }
        String text = value.get();
        if (!DIGITS.matcher(text).matches()) {
            throw outOfRange(name, min, max);
        }
        int parsed = Integer.parseInt(text);
        if (parsed < min || parsed > max) {
            throw outOfRange(name, min, max);
        }
        return parsed;
    }

    private static ApiException outOfRange(String name, int min, int max) {
        // named like every parameter in a problem: <in>/<name> (docs/api.md)
        return ApiException.validation("query/" + name, "must be an integer between " + min + " and " + max);
    }
}
