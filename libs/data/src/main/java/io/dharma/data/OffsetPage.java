package io.dharma.data;

import java.util.List;
import java.util.Optional;

import io.dharma.errors.ApiException;

/**
 * One offset page, serialized as {@code {"data": [...], "page": 2, "limit": 20, "total": 57, "totalPages": 3}};
 * {@code total} and {@code totalPages} are present only when the client asked for them (they cost a {@code COUNT(*)}).
 * Offset pagination is for clients that need page numbers; prefer keyset pagination ({@link PageRequest},
 * {@link KeysetPage}), which stays fast on deep pages and stable under inserts.
 *
 * @param data       rows of this page
 * @param page       page number, from 1
 * @param limit      page size
 * @param total      total number of rows, if requested
 * @param totalPages number of pages, if the total was requested
 * @param <T>        row type
 */
public record OffsetPage<T>(List<T> data, int page, int limit, Optional<Long> total, Optional<Integer> totalPages) {
    /**
     * Create a page.
     *
     * @param data       rows of this page
     * @param page       page number
     * @param limit      page size
     * @param total      total number of rows
     * @param totalPages number of pages
     */
    public OffsetPage {
        data = List.copyOf(data);
    }

    /**
     * A page without a total (the client did not ask for one).
     *
     * @param data    rows fetched with {@code LIMIT request.limit() OFFSET request.offset()}
     * @param request the request
     * @param <T>     row type
     * @return page
     */
    public static <T> OffsetPage<T> of(List<T> data, Request request) {
        return new OffsetPage<>(data, request.page(), request.limit(), Optional.empty(), Optional.empty());
    }

    /**
     * A page with the total count; {@code totalPages} is derived from it.
     *
     * @param data    rows fetched with {@code LIMIT request.limit() OFFSET request.offset()}
     * @param request the request
     * @param total   total number of rows matching the filter
     * @param <T>     row type
     * @return page
     */
    public static <T> OffsetPage<T> of(List<T> data, Request request, long total) {
        int pages = (int) Math.min(Integer.MAX_VALUE, (total + request.limit() - 1) / request.limit());
        return new OffsetPage<>(data, request.page(), request.limit(), Optional.of(total), Optional.of(pages));
    }

    /**
     * A request for one offset page ({@code ?page=3&limit=20}).
     *
     * @param page  page number, 1 to {@value #MAX_PAGE}
     * @param limit page size, {@value PageRequest#MIN_LIMIT} to {@value PageRequest#MAX_LIMIT}
     */
    public record Request(int page, int limit) {
        /** Largest page number accepted. */
        public static final int MAX_PAGE = 1_000_000;
        /** Most rows an offset page may skip; deeper pages need the cursor. */
        public static final long MAX_OFFSET = 10_000;

        /**
         * Create a request.
         *
         * @param page  page number, 1 to {@value #MAX_PAGE}
         * @param limit page size
         * @throws IllegalArgumentException if page or limit is out of range
         */
        public Request {
            if (page < 1 || page > MAX_PAGE) {
                throw new IllegalArgumentException("page must be between 1 and " + MAX_PAGE + ": " + page);
            }
            if (limit < PageRequest.MIN_LIMIT || limit > PageRequest.MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be between " + PageRequest.MIN_LIMIT + " and "
                                                           + PageRequest.MAX_LIMIT + ": " + limit);
            }
        }

        /**
         * Parse the {@code page} and {@code limit} query parameters. A blank parameter counts as absent.
         *
         * @param page  raw {@code page}; default 1
         * @param limit raw {@code limit}; default {@value PageRequest#DEFAULT_LIMIT}
         * @return the request
         * @throws ApiException 400 VALIDATION_FAILED naming the offending parameter
         */
        public static Request parse(Optional<String> page, Optional<String> limit) {
            Request request = new Request(QueryParams.intParam(page, "page", 1, 1, MAX_PAGE),
                                          QueryParams.intParam(limit, "limit", PageRequest.DEFAULT_LIMIT,
                                                               PageRequest.MIN_LIMIT, PageRequest.MAX_LIMIT));
            if (request.offset() > MAX_OFFSET) {
                // a deep offset scans and discards every row before it while holding a database permit
                throw ApiException.validation("query/page", "may skip at most " + MAX_OFFSET
                        + " rows; use cursor pagination (omit page) to go deeper");
            }
            return request;
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
}
