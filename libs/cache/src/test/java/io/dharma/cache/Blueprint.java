package io.dharma.cache;

import java.util.Set;

/**
 * A domain value as a service caches it (public: JSON-B maps public types only).
 *
 * @param id       id
 * @param owner    owner, also its tag
 * @param revision which load produced it
 */
public record Blueprint(String id, String owner, int revision) {
    Loaded<Blueprint> loaded() {
        return Loaded.value(this, Set.of("owner:" + owner));
    }
}
