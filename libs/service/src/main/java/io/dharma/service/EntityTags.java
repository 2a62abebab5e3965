package io.dharma.service;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed {@code If-Match} / {@code If-None-Match} value (RFC 9110 13.1.1): {@code *}, or a comma-separated list of
 * entity tags {@code [W/]"<etagc>*"}, where an etagc is any visible ASCII character but {@code "} (commas included)
 * or obs-text; empty list elements are allowed.
 *
 * @param any    the value is {@code *}
 * @param strong the strong tags, quotes included
 * @param opaque every tag without its {@code W/} prefix, quotes included (for weak comparison)
 */
record EntityTags(boolean any, Set<String> strong, Set<String> opaque) {
    /** Longest value parsed; a longer one is malformed. */
    static final int MAX_LENGTH = 8192;

    /**
     * Parse a value.
     *
     * @param value header value (several field lines joined with commas)
     * @return the tags, empty when the value is malformed
     */
    static Optional<EntityTags> parse(String value) {
        if (value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (value.strip().equals("*")) {
            return Optional.of(new EntityTags(true, Set.of(), Set.of()));
        }
        Set<String> strong = new HashSet<>();
        Set<String> opaque = new HashSet<>();
        int i = 0;
        int n = value.length();
        boolean elementEnded = true;
        while (i < n) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == ',') {
                elementEnded = true;
                i++;
            } else {
                if (!elementEnded) {
                    return Optional.empty();   // two tags without a comma between them
                }
                boolean weak = value.startsWith("W/", i);
                int open = weak ? i + 2 : i;
                int close = open < n && value.charAt(open) == '"' ? closingQuote(value, open + 1) : -1;
                if (close < 0) {
                    return Optional.empty();
                }
                String tag = value.substring(open, close + 1);
                opaque.add(tag);
                if (!weak) {
                    strong.add(tag);
                }
                elementEnded = false;
                i = close + 1;
            }
        }
        return Optional.of(new EntityTags(false, Set.copyOf(strong), Set.copyOf(opaque)));
    }

    /** Index of the quote ending an opaque tag whose characters start at {@code from}, or -1 if it is malformed. */
    private static int closingQuote(String value, int from) {
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c < 0x21 || c == 0x7F || c > 0xFF) {
                return -1;
            }
        }
        return -1;
    }
}
