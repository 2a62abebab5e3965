package io.dharma.services.blueprint;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.dharma.data.Cursor;

/**
 * Storage of blueprints and their resources.
 */
interface BlueprintRepository {
    /**
     * Insert a blueprint with its resources in one transaction.
     *
     * @param blueprint blueprint at version 1
     */
    void insert(Blueprint blueprint);

    /**
     * Find one blueprint with its resources.
     *
     * @param id id
     * @return the blueprint, if it exists
     */
    Optional<Blueprint> find(UUID id);

    /**
     * One keyset page, newest first.
     *
     * @param query            filters
     * @param after            cursor of the last row of the previous page
     * @param limit            rows to return (the caller asks for one more to detect a next page)
     * @param includeResources load resources for the whole page in one query
     * @return rows
     */
    List<Blueprint> page(BlueprintQuery query, Optional<Cursor> after, int limit, boolean includeResources);

    /**
     * One offset page, newest first (compatibility).
     *
     * @param query  filters
     * @param offset rows to skip
     * @param limit  rows to return
     * @return rows
     */
    List<Blueprint> offsetPage(BlueprintQuery query, long offset, int limit);

    /**
     * Number of rows matching the filters.
     *
     * @param query filters
     * @return count
     */
    long count(BlueprintQuery query);

    /**
     * Replace a blueprint's fields and resources if its version is still {@code expectedVersion}.
     *
     * @param updated         new state with the incremented version
     * @param expectedVersion version the client saw
     * @return whether the row was updated (false: missing or stale)
     */
    boolean update(Blueprint updated, long expectedVersion);

    /**
     * Delete a blueprint and its resources.
     *
     * @param id id
     * @return whether it existed
     */
    boolean delete(UUID id);
}
