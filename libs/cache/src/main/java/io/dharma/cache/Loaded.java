package io.dharma.cache;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a loader found: a value, or nothing, with the tags the entry carries. A tag names something the value was
 * built from (an owner, a parent), so one {@link Cache#invalidateTag(String)} drops every entry that used it.
 * <pre>{@code
 * cache.get(id, () -> repository.find(id)
 *         .map(b -> Loaded.value(b, CacheKey.of("owner").with(b.owner()).text()))
 *         .orElseGet(Loaded::absent));
 * }</pre>
 *
 * @param <V> value type
 */
public final class Loaded<V> {
    private final @Nullable V value;
    private final Set<String> tags;

    private Loaded(@Nullable V value, Set<String> tags) {
        this.value = value;
        this.tags = tags;
    }

    /**
     * A value with tags.
     *
     * @param value value
     * @param tags  tags (at most 32, each 1-256 characters)
     * @param <V>   value type
     * @return loaded value
     */
    public static <V> Loaded<V> value(V value, String... tags) {
        return value(value, List.of(tags));
    }

    /**
     * A value with tags.
     *
     * @param value value
     * @param tags  tags (at most 32, each 1-256 characters)
     * @param <V>   value type
     * @return loaded value
     */
    public static <V> Loaded<V> value(V value, Collection<String> tags) {
        return new Loaded<>(Objects.requireNonNull(value, "value"), Checks.tags(tags));
    }

    /**
     * Nothing found. It is cached as a negative entry for {@code negative-ttl} (if that is not zero), so code that
     * creates the value must invalidate its key, as any write does.
     *
     * @param tags tags of the negative entry
     * @param <V>  value type
     * @return absent result
     */
    public static <V> Loaded<V> absent(String... tags) {
        return new Loaded<>(null, Checks.tags(List.of(tags)));
    }

    /**
     * The value, empty if nothing was found.
     *
     * @return value
     */
    public Optional<V> value() {
        return Optional.ofNullable(value);
    }

    /**
     * The tags.
     *
     * @return tags
     */
    public Set<String> tags() {
        return tags;
    }

    static <V> Loaded<V> of(@Nullable V value, Set<String> tags) {
        return new Loaded<>(value, tags);
    }

    @Nullable V orNull() {
        return value;
    }

    Loaded<V> withoutTags() {
        return tags.isEmpty() ? this : new Loaded<>(value, Set.of());
    }
}
