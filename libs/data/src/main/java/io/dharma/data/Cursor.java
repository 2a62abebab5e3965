package io.dharma.data;

import java.util.List;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

/**
 * The position after which the next keyset page starts: the sort-key values of the last row of the previous page,
 * in sort order (e.g. {@code [created_at, id]}), as verified by {@link CursorCodec#decode(String)}.
 *
 * @param values sort-key values, at least one
 */
public record Cursor(List<String> values) {
    /**
     * Create a cursor.
     *
     * @param values sort-key values, at least one
     */
    public Cursor {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("A cursor carries at least one value");
        }
    }

    /**
     * The value at a position, e.g. {@code value(0)} for {@code created_at} and {@code value(1)} for {@code id}.
     *
     * @param index position in sort order
     * @return value
     * @throws ApiException BAD_REQUEST if the cursor has no such position (a cursor of another list)
     */
    public String value(int index) {
        if (index < 0 || index >= values.size()) {
            throw ApiException.of(ErrorCode.BAD_REQUEST, "The cursor is invalid");
        }
        return values.get(index);
    }
}
