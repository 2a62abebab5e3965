package io.dharma.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;

/** Argument and configuration checks; every failure is a {@link CacheException}. */
final class Checks {
    /** Longest key, in characters. */
    static final int MAX_KEY_LENGTH = 1024;
    /** Longest tag, in characters. */
    static final int MAX_TAG_LENGTH = 256;
    /** Most tags on one entry (an L2 read checks each one). */
    static final int MAX_TAGS = 32;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Checks() {
    }

    static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new CacheUsageException("Cache name '" + name + "' must be 1-64 characters of [A-Za-z0-9._-]");
        }
        return name;
    }

    static String key(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new CacheUsageException("Cache keys must be 1-" + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }

    static Set<String> tags(Collection<String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw new CacheUsageException("An entry carries at most " + MAX_TAGS + " tags, not " + tags.size());
        }
        tags.forEach(Checks::tag);
        return Set.copyOf(tags);
    }

    static String tag(String tag) {
        if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
            throw new CacheUsageException("Tags must be 1-" + MAX_TAG_LENGTH + " characters");
        }
        return tag;
    }

    static Duration positive(Duration duration, String key) {
        if (duration.isNegative() || duration.isZero()) {
            throw new CacheConfigException(key + " must be positive");
        }
        return duration;
    }

    static Duration notNegative(Duration duration, String key) {
        if (duration.isNegative()) {
            throw new CacheConfigException(key + " must not be negative");
        }
        return duration;
    }
}
