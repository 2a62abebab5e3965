package io.dharma.cache;

import java.util.List;

/**
 * Turns cached values into the bytes stored in Redis and back. L1 keeps the objects themselves, so cached values
 * should be immutable (records). A value that cannot be decoded (say, its class changed between releases) counts
 * as a miss and is loaded and stored again.
 *
 * @param <V> value type
 */
public interface Codec<V> {
    /**
     * Encode a value.
     *
     * @param value value
     * @return bytes
     */
    byte[] encode(V value);

    /**
     * Decode bytes written by {@link #encode(Object)}.
     *
     * @param bytes bytes
     * @return value
     */
    V decode(byte[] bytes);

    /**
     * JSON through JSON-B (Yasson): records and beans.
     *
     * @param type value class
     * @param <V>  value type
     * @return codec
     */
    static <V> Codec<V> json(Class<V> type) {
        return new JsonCodec<>(type);
    }

    /**
     * JSON through JSON-B for a list of values, e.g. one page of results.
     *
     * @param elementType element class
     * @param <E>         element type
     * @return codec
     */
    static <E> Codec<List<E>> jsonList(Class<E> elementType) {
        return new JsonCodec<>(new JsonCodec.ListType(elementType));
    }

    /**
     * UTF-8 strings.
     *
     * @return codec
     */
    static Codec<String> string() {
        return StringCodec.UTF_8;
    }
}
