package ${package};

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.dharma.cache.Cache;
import io.dharma.cache.CacheKey;
import io.dharma.cache.Caches;
import io.dharma.cache.Codec;
import io.dharma.cache.Loaded;

/**
 * The repository behind the two-level caches ({@code cache} in {@code application.yaml}): {@code ${resourcePlural}}
 * (one ${resourceName} by id; unknown ids as negative entries) and {@code ${resourceName}-pages} (keyset pages of the
 * list route). Entries are tagged with their owner; a page of every owner's ${resourcePlural} (an admin's list) with
 * {@link #ALL_OWNERS}. Keys and tags are {@link CacheKey}s: the owner and the position are encoded components, and
 * "every owner" is a component no owner id can produce, so no token subject ({@code *}, {@code provider|123}) reaches
 * another owner's page. Every write goes to the database first, then invalidates exactly what it changed on every
 * instance: the ${resourceName}'s entry and the pages that could show it.
 */
final class Cached${resourceClass}Repository implements ${resourceClass}Repository {
    static final String ENTRIES = "${resourcePlural}";
    static final String PAGES = "${resourceName}-pages";
    static final String ALL_OWNERS = CacheKey.of("owner").withAny().text();

    private final ${resourceClass}Repository database;
    private final Cache<${resourceClass}> entries;
    private final Cache<List<${resourceClass}>> pages;

    Cached${resourceClass}Repository(${resourceClass}Repository database, Caches caches) {
        this.database = database;
        this.entries = caches.cache(ENTRIES, Codec.json(${resourceClass}.class));
        this.pages = caches.cache(PAGES, Codec.jsonList(${resourceClass}.class));
    }

    @Override
    public void insert(${resourceClass} created) {
        database.insert(created);
        changed(created.id(), created.ownerId());
    }

    @Override
    public Optional<${resourceClass}> find(UUID id) {
        return entries.get(id.toString(), () -> database.find(id)
                .map(found -> Loaded.value(found, owner(found.ownerId())))
                .orElseGet(Loaded::absent));
    }

    @Override
    public List<${resourceClass}> page(Optional<String> owner, Optional<Position> after, int limit) {
        CacheKey byOwner = owner.map(CacheKey.of("page")::with).orElseGet(CacheKey.of("page")::withAny);
        CacheKey key = after.map(p -> byOwner.with(p.createdAt().toString()).with(p.id().toString()))
                .orElseGet(byOwner::withAny)
                .with(Integer.toString(limit));
        String tag = owner.map(Cached${resourceClass}Repository::owner).orElse(ALL_OWNERS);
        return pages.get(key.text(), () -> Loaded.value(database.page(owner, after, limit), tag)).orElseThrow();
    }

    @Override
    public boolean update(${resourceClass} updated, long expectedVersion) {
        boolean done = database.update(updated, expectedVersion);
        // also when it failed: the caller read a version that is no longer current
        changed(updated.id(), updated.ownerId());
        return done;
    }

    @Override
    public boolean delete(UUID id) {
        Optional<String> owner = database.find(id).map(${resourceClass}::ownerId);
        boolean done = database.delete(id);
        owner.ifPresentOrElse(o -> changed(id, o), () -> entries.invalidate(id.toString()));
        return done;
    }

    private void changed(UUID id, String ownerId) {
        entries.invalidate(id.toString());
        pages.invalidateTag(owner(ownerId));
        pages.invalidateTag(ALL_OWNERS);
    }

    private static String owner(String ownerId) {
        return CacheKey.of("owner").with(ownerId).text();
    }
}
