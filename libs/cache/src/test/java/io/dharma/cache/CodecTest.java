package io.dharma.cache;

import java.nio.charset.StandardCharsets;
import java.util.List;


import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CodecTest {
    @Test
    void jsonRecords() {
        Codec<Blueprint> codec = Codec.json(Blueprint.class);
        byte[] bytes = codec.encode(new Blueprint("b-1", "alice", 3));
        assertThat(new String(bytes, StandardCharsets.UTF_8), is("{\"id\":\"b-1\",\"owner\":\"alice\",\"revision\":3}"));
        assertThat(codec.decode(bytes), is(new Blueprint("b-1", "alice", 3)));
        assertThat(codec, is(Codec.json(Blueprint.class)));
    }

    @Test
    void jsonLists() {
        Codec<List<Blueprint>> codec = Codec.jsonList(Blueprint.class);
        List<Blueprint> page = List.of(new Blueprint("a", "alice", 1), new Blueprint("b", "bob", 2));
        assertThat(codec.decode(codec.encode(page)), is(page));
        assertThat(codec, is(Codec.jsonList(Blueprint.class)));
    }

    @Test
    void strings() {
        assertThat(Codec.string().decode(Codec.string().encode("grüße")), is("grüße"));
    }

    @Test
    void undecodableBytesFail() {
        assertThrows(RuntimeException.class, () -> Codec.json(Blueprint.class).decode("not json".getBytes(StandardCharsets.UTF_8)));
    }
}
