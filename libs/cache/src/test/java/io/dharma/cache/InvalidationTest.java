package io.dharma.cache;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class InvalidationTest {
    @Test
    void formatAndParse() {
        Invalidation tag = new Invalidation(Invalidation.Kind.TAG, 42, "3f9c", "blueprints", "owner:a|b");
        assertThat(tag.format(), is("t|42|3f9c|blueprints|owner:a|b"));
        assertThat(Invalidation.parse(tag.format()), is(Optional.of(tag)));
        assertThat(Invalidation.parse("a|7|o|c|").orElseThrow().kind(), is(Invalidation.Kind.ALL));
    }

    @Test
    void foreignMessagesAreIgnored() {
        assertThat(Invalidation.parse("hello"), is(Optional.empty()));
        assertThat(Invalidation.parse("x|1|o|c|k"), is(Optional.empty()));
        assertThat(Invalidation.parse("k|one|o|c|k"), is(Optional.empty()));
    }
}
