package io.dharma.services.blueprint;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.dharma.cache.Cache;
import io.dharma.cache.CacheKey;
import io.dharma.cache.Caches;
import io.dharma.cache.Codec;
import io.dharma.cache.Loaded;
import io.dharma.data.Cursor;

/**
 * The repository behind the two-level caches: {@code blueprints} (one blueprint by id, with its resources; absent ids
 * as negative entries) and {@code blueprint-pages} (keyset pages of the list route). Entries are tagged with the
 * blueprint and its owner; a page of every owner's blueprints (an admin's list) with {@link #ALL_OWNERS}. Keys and
 * tags are {@link CacheKey}s: every filter, the owner and the cursor is one encoded component, and "every owner" is a
 * component no owner id can produce, so no token subject ({@code *}, {@code provider|123}) reaches another owner's
 * page. Every write goes to the database first and then invalidates exactly what it changed, on every instance: the
 * blueprint's entry and the pages that could show it (its owner's and every-owner pages). Offset pages and counts
 * are not cached (deep offsets are rare and capped).
 */
final class CachedBlueprintRepository implements BlueprintRepository {
    static final String BLUEPRINTS = "blueprints";
    static final String PAGES = "blueprint-pages";
    static final String ALL_OWNERS = CacheKey.of("owner").withAny().text();

    private final BlueprintRepository database;
    private final Cache<Blueprint> blueprints;
    private final Cache<List<Blueprint>> pages;

    CachedBlueprintRepository(BlueprintRepository database, Caches caches) {
        this.database = database;
        this.blueprints = caches.cache(BLUEPRINTS, Codec.json(Blueprint.class));
        this.pages = caches.cache(PAGES, Codec.jsonList(Blueprint.class));
    }

    @Override
    public void insert(Blueprint blueprint) {
        database.insert(blueprint);
        changed(blueprint.id(), blueprint.ownerId());
    }

    @Override
    public Optional<Blueprint> find(UUID id) {
        return blueprints.get(id.toString(), () -> database.find(id)
                .map(found -> Loaded.value(found, owner(found.ownerId())))
                .orElseGet(Loaded::absent));
    }

    @Override
    public List<Blueprint> page(BlueprintQuery query, Optional<Cursor> after, int limit, boolean includeResources) {
        CacheKey key = CacheKey.of("page");
        key = orAny(key, query.ownerId());
        key = orAny(key, query.status());
        key = orAny(key, query.targetCloud());
        key = orAny(key, query.text());
        if (after.isPresent()) {
            key = key.with(Integer.toString(after.get().values().size()));
            for (String value : after.get().values()) {
                key = key.with(value);
            }
        } else {
            key = key.withAny();
        }
        key = key.with(Integer.toString(limit)).with(Boolean.toString(includeResources));
        String tag = query.ownerId().map(CachedBlueprintRepository::owner).orElse(ALL_OWNERS);
        return pages.get(key.text(), () -> Loaded.value(database.page(query, after, limit, includeResources), tag))
                .orElseThrow();
    }

    @Override
    public List<Blueprint> offsetPage(BlueprintQuery query, long offset, int limit) {
        return database.offsetPage(query, offset, limit);
    }

    @Override
    public long count(BlueprintQuery query) {
        return database.count(query);
    }

    @Override
    public boolean update(Blueprint updated, long expectedVersion) {
        boolean done = database.update(updated, expectedVersion);
        // also when it failed: the caller read a version that is no longer current, so the entry is stale
        changed(updated.id(), updated.ownerId());
        return done;
    }

    @Override
    public boolean delete(UUID id) {
        Optional<String> owner = database.find(id).map(Blueprint::ownerId);
        boolean done = database.delete(id);
        owner.ifPresentOrElse(o -> changed(id, o), () -> blueprints.invalidate(id.toString()));
        return done;
    }

    private void changed(UUID id, String ownerId) {
        blueprints.invalidate(id.toString());
        pages.invalidateTag(owner(ownerId));
        pages.invalidateTag(ALL_OWNERS);
    }

    private static String owner(String ownerId) {
        return CacheKey.of("owner").with(ownerId).text();
    }

    private static CacheKey orAny(CacheKey key, Optional<String> component) {
        return component.map(key::with).orElseGet(key::withAny);
    }
}
