package io.dharma.services.blueprint;

import java.util.Optional;

/**
 * Filters of the list route.
 *
 * @param status      only this status
 * @param targetCloud only this cloud
 * @param ownerId     only this owner
 * @param text        full-text search on the name
 */
record BlueprintQuery(Optional<String> status,
                      Optional<String> targetCloud,
                      Optional<String> ownerId,
                      Optional<String> text) {
}
