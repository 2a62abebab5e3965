package io.dharma.data;

import java.util.Optional;

/**
 * A request for one keyset page: how many rows, and after which position.
 * <p>
 * Fetch {@link #fetchSize()} rows ({@code limit + 1}) with
 * {@code WHERE (created_at, id) < (:afterCreatedAt, :afterId) ORDER BY created_at DESC, id DESC}, then build the
 * response with {@link KeysetPage#of}.
 *
 * @param limit page size, {@value #MIN_LIMIT} to {@value #MAX_LIMIT}
 * @param after position of the last row of the previous page; empty for the first page
 */
public record PageRequest(int limit, Optional<Cursor> after) {
    /** Page size when the client sends none. */
    public static final int DEFAULT_LIMIT = 50;
    /** Smallest page size. */
    public static final int MIN_LIMIT = 1;
    /** Largest page size. */
    public static final int MAX_LIMIT = 100;

    /**
     * Create a request.
     *
     * @param limit page size, {@value #MIN_LIMIT} to {@value #MAX_LIMIT}
     * @param after position of the last row of the previous page
     * @throws IllegalArgumentException if the limit is out of range
     */
    public PageRequest {
        if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between " + MIN_LIMIT + " and " + MAX_LIMIT + ": " + limit);
        }
    }

    /**
     * Parse the {@code limit} and {@code cursor} query parameters. A blank parameter counts as absent.
     *
     * @param limit  raw {@code limit} parameter; default {@value #DEFAULT_LIMIT}
     * @param cursor raw {@code cursor} parameter
     * @param codec  codec that verifies the cursor
     * @return the request
     * @throws io.dharma.errors.ApiException 400 VALIDATION_FAILED for a limit that is not an integer between
     *                                       {@value #MIN_LIMIT} and {@value #MAX_LIMIT}; 400 BAD_REQUEST for a cursor
     *                                       that does not decode or verify
     */
    public static PageRequest parse(Optional<String> limit, Optional<String> cursor, CursorCodec codec) {
        int size = QueryParams.intParam(limit, "limit", DEFAULT_LIMIT, MIN_LIMIT, MAX_LIMIT);
        Optional<Cursor> after = cursor.filter(c -> !c.isBlank()).map(codec::decode);
        return new PageRequest(size, after);
    }

    /**
     * The first page.
     *
     * @param limit page size
     * @return request without a cursor
     */
    public static PageRequest first(int limit) {
        return new PageRequest(limit, Optional.empty());
    }

    /**
     * Rows to fetch: one more than the limit, to learn whether there is a next page without counting.
     *
     * @return {@code limit + 1}
     */
    public int fetchSize() {
        return limit + 1;
    }
}
