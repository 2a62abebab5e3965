package io.dharma.data;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a keyset-paginated list, serialized as {@code {"data": [...], "page": {"limit": 50, "nextCursor": "..."}}}.
 *
 * @param data the rows of this page, at most {@code page.limit()}
 * @param page limit and next cursor
 * @param <T>  row type
 */
public record KeysetPage<T>(List<T> data, PageInfo page) {
    /**
     * Create a page.
     *
     * @param data rows of this page
     * @param page limit and next cursor
     */
    public KeysetPage {
        data = List.copyOf(data);
    }

    /**
     * Build a page from the rows fetched with {@code LIMIT request.fetchSize()} (one more than the page size): if the
     * extra row came back, there is a next page, and its cursor is made from the last row that is returned.
     *
     * @param request      the page request the rows were fetched for
     * @param fetched      rows in sort order, at most {@code request.fetchSize()}
     * @param cursorValues the sort-key values of a row, in sort order (e.g. {@code created_at} in epoch micros and
     *                     {@code id})
     * @param codec        codec that signs the next cursor
     * @param <T>          row type
     * @return the page
     */
    public static <T> KeysetPage<T> of(PageRequest request,
                                       List<T> fetched,
                                       Function<? super T, List<String>> cursorValues,
                                       CursorCodec codec) {
        int limit = request.limit();
        if (fetched.size() <= limit) {
            return new KeysetPage<>(fetched, new PageInfo(limit, Optional.empty()));
        }
        List<T> data = fetched.subList(0, limit);
        String next = codec.encode(cursorValues.apply(data.getLast()));
        return new KeysetPage<>(data, new PageInfo(limit, Optional.of(next)));
    }
}
