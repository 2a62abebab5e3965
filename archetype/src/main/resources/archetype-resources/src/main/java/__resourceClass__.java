package ${package};

import java.time.Instant;
import java.util.UUID;

import io.dharma.service.Requests;

import org.jspecify.annotations.Nullable;

/**
 * A stored ${resourceName} (public so that the cache's JSON codec can map it).
 *
 * @param id          identifier
 * @param ownerId     the subject of the token that created it; only its owner and admins see it
 * @param name        1..100 characters, unique per owner
 * @param description free text, up to 2000 characters
 * @param version     optimistic-locking version, starts at 1; also the ETag
 * @param createdAt   creation time (microsecond precision)
 * @param updatedAt   last update time
 */
public record ${resourceClass}(
        UUID id,
        String ownerId,
        String name,
        @Nullable String description,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    /**
     * The strong ETag of this version.
     *
     * @return the version in double quotes
     */
    String etag() {
        return Requests.etag(version);
    }
}
