package ${package};

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage of ${resourcePlural}.
 */
interface ${resourceClass}Repository {
    /**
     * Insert a new ${resourceName}.
     *
     * @param created the ${resourceName} at version 1
     * @throws io.dharma.errors.ApiException 409 CONFLICT if its owner has one of that name already
     */
    void insert(${resourceClass} created);

    /**
     * Find one ${resourceName}.
     *
     * @param id identifier
     * @return the ${resourceName}, if it exists
     */
    Optional<${resourceClass}> find(UUID id);

    /**
     * One keyset page, newest first ({@code ORDER BY created_at DESC, id DESC}).
     *
     * @param owner only the ${resourcePlural} of this owner; empty for every owner's
     * @param after position of the last row of the previous page; empty for the first page
     * @param limit rows to return (callers ask for one more than the page size to learn whether a next page exists)
     * @return rows in sort order
     */
    List<${resourceClass}> page(Optional<String> owner, Optional<Position> after, int limit);

    /**
     * Replace a ${resourceName} if its version is still {@code expectedVersion}.
     *
     * @param updated         new state, with the incremented version
     * @param expectedVersion version the client saw
     * @return whether the row was updated (false: missing, or changed in the meantime)
     */
    boolean update(${resourceClass} updated, long expectedVersion);

    /**
     * Delete a ${resourceName}.
     *
     * @param id identifier
     * @return whether it existed
     */
    boolean delete(UUID id);

    /**
     * A keyset position: the sort key of a row.
     *
     * @param createdAt creation time
     * @param id        identifier (tie-breaker)
     */
    record Position(Instant createdAt, UUID id) {
    }
}
