package io.dharma.data;

import java.util.List;
import java.util.Optional;

/**
 * One offset page, serialized as {@code {"data": [...], "page": 2, "limit": 20, "total": 57, "totalPages": 3}};
 * {@code total} and {@code totalPages} are present only when the client asked for them.
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
     * @param request the request
     * @param data    rows fetched with {@code LIMIT request.limit() OFFSET request.offset()}
     * @param <T>     row type
     * @return page
     */
    public static <T> OffsetPage<T> of(OffsetRequest request, List<T> data) {
        return new OffsetPage<>(data, request.page(), request.limit(), Optional.empty(), Optional.empty());
    }

    /**
     * A page with the total count; {@code totalPages} is derived from it.
     *
     * @param request the request
     * @param data    rows fetched with {@code LIMIT request.limit() OFFSET request.offset()}
     * @param total   total number of rows matching the filter
     * @param <T>     row type
     * @return page
     */
    public static <T> OffsetPage<T> of(OffsetRequest request, List<T> data, long total) {
        int pages = (int) Math.min(Integer.MAX_VALUE, (total + request.limit() - 1) / request.limit());
        return new OffsetPage<>(data, request.page(), request.limit(), Optional.of(total), Optional.of(pages));
    }
}
