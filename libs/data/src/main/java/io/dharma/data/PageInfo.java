package io.dharma.data;

import java.util.Optional;

/**
 * The {@code page} object of a keyset page: {@code {"limit": 50, "nextCursor": "..."}}.
 *
 * @param limit      the page size that was applied
 * @param nextCursor cursor of the next page; empty on the last page (serialized as absent / {@code null})
 */
public record PageInfo(int limit, Optional<String> nextCursor) {
}
