package io.dharma.services.blueprint;

import java.util.List;

/**
 * JSON form of a blueprint.
 *
 * @param id          identifier
 * @param ownerId     owner
 * @param name        name
 * @param description description
 * @param targetCloud target cloud
 * @param status      status
 * @param version     version (also the ETag)
 * @param createdAt   ISO-8601 creation time
 * @param updatedAt   ISO-8601 update time
 * @param resources   resources; absent in lists unless {@code include=resources}
 */
public record BlueprintResponse(String id,
                                String ownerId,
                                String name,
                                String description,
                                String targetCloud,
                                String status,
                                long version,
                                String createdAt,
                                String updatedAt,
                                List<BlueprintResource> resources) {

    static BlueprintResponse from(Blueprint b, boolean withResources) {
        return new BlueprintResponse(b.id().toString(), b.ownerId(), b.name(), b.description(), b.targetCloud(),
                                     b.status(), b.version(), b.createdAt().toString(), b.updatedAt().toString(),
                                     withResources ? b.resources() : null);
    }
}
