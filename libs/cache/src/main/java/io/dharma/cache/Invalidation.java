package io.dharma.cache;

import java.util.Optional;

/**
 * One invalidation as published on the channel: {@code <kind>|<version>|<origin>|<cache>|<subject>}, e.g.
 * {@code k|42|3f9c1a|blueprints|bp-17}. The version is the cache's Redis sequence number drawn by the write, so a
 * receiver can tell an old message from a new one; the origin lets an instance skip its own messages.
 *
 * @param kind    what was invalidated
 * @param version sequence number of the invalidation
 * @param origin  id of the instance that sent it
 * @param cache   cache name
 * @param subject the key or tag (empty for the whole cache)
 */
record Invalidation(Kind kind, long version, String origin, String cache, String subject) {
    /** What an invalidation names. */
    enum Kind {
        /** One key. */
        KEY('k'),
        /** Every entry carrying a tag. */
        TAG('t'),
        /** The whole cache. */
        ALL('a');

        private final char code;

        Kind(char code) {
            this.code = code;
        }

        static Optional<Kind> of(char code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Parse a message; empty if it is not one of ours.
     *
     * @param message channel message
     * @return invalidation
     */
    static Optional<Invalidation> parse(String message) {
        String[] parts = message.split("\\|", 5);
        if (parts.length != 5 || parts[0].length() != 1) {
            return Optional.empty();
        }
        try {
            long version = Long.parseLong(parts[1]);
            return Kind.of(parts[0].charAt(0)).map(k -> new Invalidation(k, version, parts[2], parts[3], parts[4]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The text before the version ({@code k|}), as the Lua scripts build the message around the version they draw.
     *
     * @param kind kind
     * @return head
     */
    static String head(Kind kind) {
        return kind.code + "|";
    }

    /**
     * The text after the version ({@code |origin|cache|subject}).
     *
     * @param origin  sender id
     * @param cache   cache name
     * @param subject key or tag
     * @return tail
     */
    static String tail(String origin, String cache, String subject) {
        return "|" + origin + "|" + cache + "|" + subject;
    }

    /**
     * The message text.
     *
     * @return message
     */
    String format() {
        return head(kind) + version + tail(origin, cache, subject);
    }
}
