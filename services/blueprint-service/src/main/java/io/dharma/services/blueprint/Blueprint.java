package io.dharma.services.blueprint;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.dharma.service.Requests;

/**
 * A stored blueprint (public so that the cache's JSON codec can map it).
 *
 * @param id          identifier
 * @param ownerId     subject that owns it
 * @param name        3..100 characters
 * @param description free text, may be empty
 * @param targetCloud aws, azure or gcp
 * @param status      draft, active or archived
 * @param version     optimistic-locking version, starts at 1
 * @param createdAt   creation time (microsecond precision)
 * @param updatedAt   last update time
 * @param resources   resources, empty when not loaded
 */
public record Blueprint(UUID id,
                        String ownerId,
                        String name,
                        String description,
                        String targetCloud,
                        String status,
                        long version,
                        Instant createdAt,
                        Instant updatedAt,
                        List<BlueprintResource> resources) {

    String etag() {
        return Requests.etag(version);
    }

    Blueprint withResources(List<BlueprintResource> loaded) {
        return new Blueprint(id, ownerId, name, description, targetCloud, status, version, createdAt, updatedAt, loaded);
    }
}
