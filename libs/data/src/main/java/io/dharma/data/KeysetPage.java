package io.dharma.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.json.spi.JsonProvider;

/**
 * One page of a keyset-paginated list, serialized as {@code {"data": [...], "page": {"limit": 50, "nextCursor": "..."}}}
 * ({@code nextCursor} absent on the last page).
 *
 * @param data the rows of this page, at most {@code page.limit()}
 * @param page limit and next cursor
 * @param <T>  row type
 */
public record KeysetPage<T>(List<T> data, PageInfo page) {
    private static final byte[] DATA = ascii("{\"data\":[");
    private static final byte[] LIMIT = ascii("],\"page\":{\"limit\":");
    private static final byte[] NEXT_CURSOR = ascii(",\"nextCursor\":");
    private static final byte[] END = ascii("}}");
    // looked up once: JsonProvider.provider() scans the class path
    private static final JsonProvider JSON = JsonProvider.provider();

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

    /**
     * This page as UTF-8 JSON, {@code {"data":[...],"page":{"limit":50,"nextCursor":"..."}}}, each row's bytes
     * given by the caller (e.g. kept per entity version): the same bytes JSON-B writes for the page of the rows'
     * objects, without serialising the rows again.
     *
     * @param rowJson the JSON of one row
     * @return the page's JSON
     */
    public byte[] json(Function<? super T, byte[]> rowJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 512 * data.size());
        out.writeBytes(DATA);
        for (int i = 0; i < data.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(rowJson.apply(data.get(i)));
        }
        out.writeBytes(LIMIT);
        out.writeBytes(Integer.toString(page.limit()).getBytes(StandardCharsets.US_ASCII));
        page.nextCursor().ifPresent(cursor -> {
            out.writeBytes(NEXT_CURSOR);
            out.writeBytes(JSON.createValue(cursor).toString().getBytes(StandardCharsets.UTF_8));
        });
        out.writeBytes(END);
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
