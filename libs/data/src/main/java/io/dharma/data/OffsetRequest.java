package io.dharma.data;

import java.util.Locale;
import java.util.Optional;

import io.dharma.errors.ApiException;

/**
 * A request for one offset page ({@code ?page=3&limit=20&total=true}), for clients that need page numbers; prefer
 * keyset pagination ({@link PageRequest}), which stays fast on deep pages.
 *
 * @param page         page number, from 1
 * @param limit        page size, {@value PageRequest#MIN_LIMIT} to {@value PageRequest#MAX_LIMIT}
 * @param includeTotal whether the client asked for the total count (an extra {@code COUNT(*)} query)
 */
public record OffsetRequest(int page, int limit, boolean includeTotal) {
    /** Largest page number accepted. */
    public static final int MAX_PAGE = 1_000_000;

    /**
     * Create a request.
     *
     * @param page         page number, 1 to {@value #MAX_PAGE}
     * @param limit        page size
     * @param includeTotal whether to count the total
     * @throws IllegalArgumentException if page or limit is out of range
     */
    public OffsetRequest {
        if (page < 1 || page > MAX_PAGE) {
            throw new IllegalArgumentException("page must be between 1 and " + MAX_PAGE + ": " + page);
        }
        if (limit < PageRequest.MIN_LIMIT || limit > PageRequest.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between " + PageRequest.MIN_LIMIT + " and "
                                                       + PageRequest.MAX_LIMIT + ": " + limit);
        }
    }

    /**
     * Parse the {@code page}, {@code limit} and {@code total} query parameters. A blank parameter counts as absent.
     *
     * @param page  raw {@code page}; default 1
     * @param limit raw {@code limit}; default {@value PageRequest#DEFAULT_LIMIT}
     * @param total raw {@code total}: {@code true} or {@code false} (default)
     * @return the request
     * @throws ApiException 400 VALIDATION_FAILED naming the offending parameter
     */
    public static OffsetRequest parse(Optional<String> page, Optional<String> limit, Optional<String> total) {
        int number = QueryParams.intParam(page, "page", 1, 1, MAX_PAGE);
        int size = QueryParams.intParam(limit, "limit", PageRequest.DEFAULT_LIMIT, PageRequest.MIN_LIMIT,
                                        PageRequest.MAX_LIMIT);
        boolean includeTotal = switch (total.filter(t -> !t.isBlank()).map(t -> t.toLowerCase(Locale.ROOT)).orElse("false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.validation("total", "must be true or false");
        };
        return new OffsetRequest(number, size, includeTotal);
    }

    /**
     * Rows to skip: {@code (page - 1) * limit}.
     *
     * @return SQL {@code OFFSET}
     */
    public long offset() {
        return (long) (page - 1) * limit;
    }
}
