package io.dharma.data;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a keyset-paginated list, serialized as {@code {"data": [...], "page": {"limit": 50, "nextCursor": "..."}}}
 * ({@code nextCursor} absent on the last page).
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
     * Build a page from the rows fetched with {@code LIMIT limit + 1} ({@link PageRequest#fetchSize()}): if the extra
     * row came back there is a next page, whose cursor is made from the last row returned; the extra row is dropped.
     *
     * @param fetched      rows in sort order, at most {@code limit + 1}
     * @param limit        the page size ({@link PageRequest#limit()})
     * @param cursorValues the sort-key values of a row, in sort order (e.g. {@code created_at} and {@code id})
     * @param codec        codec that signs the next cursor
     * @param <T>          row type
     * @return the page
     */
    public static <T> KeysetPage<T> of(List<T> fetched,
                                       int limit,
                                       Function<? super T, List<String>> cursorValues,
                                       CursorCodec codec) {
        if (fetched.size() <= limit) {
            return new KeysetPage<>(fetched, new PageInfo(limit, Optional.empty()));
        }
        List<T> data = fetched.subList(0, limit);
        String next = codec.encode(cursorValues.apply(data.getLast()));
        return new KeysetPage<>(data, new PageInfo(limit, Optional.of(next)));
    }

    /**
     * The same page with each row converted, e.g. from a domain record to its response DTO.
     *
     * @param mapper row conversion
     * @param <R>    converted row type
     * @return page with the same {@link PageInfo}
     */
    public <R> KeysetPage<R> map(Function<? super T, ? extends R> mapper) {
        return new KeysetPage<>(data.stream().<R>map(mapper).toList(), page);
    }
}
