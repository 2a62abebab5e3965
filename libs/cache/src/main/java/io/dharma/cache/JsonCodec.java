package io.dharma.cache;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import org.jspecify.annotations.Nullable;

/**
 * JSON through one shared, thread-safe {@link Jsonb}. Two codecs of the same type are equal.
 *
 * @param type the value type
 * @param <V>  value type
 */
record JsonCodec<V>(Type type) implements Codec<V> {
    @Override
    public byte[] encode(V value) {
        return Holder.JSONB.toJson(value, type).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public V decode(byte[] bytes) {
        return Holder.JSONB.fromJson(new String(bytes, StandardCharsets.UTF_8), type);
    }

    /** {@code List<E>} as a value, so that equal element types give equal codecs. */
    record ListType(Class<?> element) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return new Type[] {element};
        }

        @Override
        public Type getRawType() {
            return List.class;
        }

        @Override
        public @Nullable Type getOwnerType() {
            return null;
        }
    }

    /** Created on first use: building a Jsonb is expensive. */
    private static final class Holder {
        private static final Jsonb JSONB = JsonbBuilder.create();
    }
}
