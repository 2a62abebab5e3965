package ${package};

import org.jspecify.annotations.Nullable;

/**
 * JSON form of a ${resourceName}.
 *
 * @param id          identifier
 * @param ownerId     owner (the subject of the token that created it)
 * @param name        name
 * @param description description, absent when not set
 * @param version     version (the ETag without quotes)
 * @param createdAt   ISO-8601 creation time
 * @param updatedAt   ISO-8601 update time
 */
public record ${resourceClass}Response(
        String id,
        String ownerId,
        String name,
        @Nullable String description,
        long version,
        String createdAt,
        String updatedAt) {

    static ${resourceClass}Response from(${resourceClass} stored) {
        return new ${resourceClass}Response(stored.id().toString(), stored.ownerId(), stored.name(), stored.description(),
                stored.version(), stored.createdAt().toString(), stored.updatedAt().toString());
    }
}
