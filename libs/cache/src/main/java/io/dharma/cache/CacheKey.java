package io.dharma.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A cache key or tag built from components, unambiguous by construction: two keys have the same {@link #text()}
 * exactly when they were built from the same components in the same order. Build every key and tag that contains
 * request or token data (owners, filters, search text, cursors) with it, never by joining strings.
 * <pre>{@code
 * String key = CacheKey.of("page").with(ownerId).with(status).text();     // page|alice|draft
 * String tag = CacheKey.of("owner").with(ownerId).text();                  // owner|provider%7C123
 * String all = CacheKey.of("owner").withAny().text();                      // owner|*  (no owner id gives this)
 * }</pre>
 * Encoding: each component is written with every character outside {@code [A-Za-z0-9._~-]} escaped ({@code %} and
 * two hex digits for ASCII, {@code %u} and four for each UTF-16 unit above it, lone surrogates included); components
 * are joined with {@code |}; {@link #withAny()} writes {@code *}. Neither {@code |} nor {@code *} survives the
 * escaping, so the components can be read back from the text. A text longer than {@value #MAX_LENGTH} characters
 * (which fits both key and tag limits) is replaced by {@code #} and the base64url SHA-256 of the text; {@code #}
 * starts no other text.
 */
public final class CacheKey {
    /** Longest text kept as it is; longer ones are hashed. */
    public static final int MAX_LENGTH = Checks.MAX_TAG_LENGTH;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String encoded;

    private CacheKey(String encoded) {
        this.encoded = encoded;
    }

    /**
     * A key of one component, usually a constant naming what the key is for ({@code "page"}, {@code "owner"}).
     *
     * @param component first component, not empty
     * @return key
     * @throws CacheException if the component is empty
     */
    public static CacheKey of(String component) {
        if (component.isEmpty()) {
            throw new CacheUsageException("The first component of a cache key must not be empty");
        }
        return new CacheKey(encode(component));
    }

    /**
     * This key with one more component.
     *
     * @param component component (any text, may be empty)
     * @return a new key
     */
    public CacheKey with(String component) {
        return new CacheKey(encoded + '|' + encode(component));
    }

    /**
     * This key with one more component standing for "any value" (no filter, every owner); no text given to
     * {@link #with(String)} produces it.
     *
     * @return a new key
     */
    public CacheKey withAny() {
        return new CacheKey(encoded + "|*");
    }

    /**
     * The text to pass to {@link Cache} as a key or a tag: 1-{@value #MAX_LENGTH} characters.
     *
     * @return text
     */
    public String text() {
        return encoded.length() <= MAX_LENGTH ? encoded : "#" + sha256(encoded);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheKey key && key.encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }

    static String encode(String component) {
        StringBuilder out = new StringBuilder(component.length() + 8);
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (unreserved(c)) {
                out.append(c);
            } else if (c < 0x80) {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                out.append("%u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                || c == '~';
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
