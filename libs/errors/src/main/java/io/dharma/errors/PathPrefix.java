package io.dharma.errors;

/**
 * A path prefix that matches whole segments: {@code /metrics} matches {@code /metrics} and {@code /metrics/x}, never
 * {@code /metrics-x}. Compared with the decoded, normalised request path ({@code req.path().path()}), which the
 * {@linkplain Errors#guard request guard} makes the only form of the path any filter sees.
 *
 * @param prefix the prefix, starting with {@code /}; a trailing {@code /} is ignored
 */
public record PathPrefix(String prefix) {
    /**
     * Validates and normalises the prefix.
     */
    public PathPrefix {
        if (!prefix.startsWith("/")) {
            throw new IllegalArgumentException("A path prefix must start with '/': " + prefix);
        }
        while (prefix.length() > 1 && prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
    }

    /**
     * Whether a path is this prefix or lies below it.
     *
     * @param path decoded, normalised request path
     * @return true on a whole-segment match
     */
    public boolean matches(String path) {
        if (prefix.equals("/")) {
            return true;
        }
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    /**
     * Whether any of the prefixes matches.
     *
     * @param prefixes prefixes
     * @param path     decoded, normalised request path
     * @return true if one matches
     */
    public static boolean anyMatches(Iterable<PathPrefix> prefixes, String path) {
        for (PathPrefix prefix : prefixes) {
            if (prefix.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
