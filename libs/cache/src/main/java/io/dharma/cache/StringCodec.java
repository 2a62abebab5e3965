package io.dharma.cache;

import java.nio.charset.StandardCharsets;

/** UTF-8 strings: {@link Codec#string()}. */
enum StringCodec implements Codec<String> {
    UTF_8;

    @Override
    public byte[] encode(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
