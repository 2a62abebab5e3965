package io.dharma.logging;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class CorrelationIdTest {
    @Test
    void idsOfAllowedCharactersUpTo128AreValid() {
        assertThat(CorrelationId.isValid("a"), is(true));
        assertThat(CorrelationId.isValid("Abc-123_x.Y"), is(true));
        assertThat(CorrelationId.isValid("x".repeat(128)), is(true));
    }

    @Test
    void emptyTooLongOrForbiddenCharactersAreInvalid() {
        assertThat(CorrelationId.isValid(""), is(false));
        assertThat(CorrelationId.isValid("x".repeat(129)), is(false));
        assertThat(CorrelationId.isValid("has space"), is(false));
        assertThat(CorrelationId.isValid("semi;colon"), is(false));
        assertThat(CorrelationId.isValid("line\nbreak"), is(false));
        assertThat(CorrelationId.isValid("ünïcode"), is(false));
    }

    @Test
    void generatedIdsAreValidVersion4UuidsAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = CorrelationId.generate();
            assertThat(CorrelationId.isValid(id), is(true));
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version(), is(4));
            assertThat(uuid.variant(), is(2));
            assertThat(seen.add(id), is(true));
        }
    }

    @Test
    void idIsFoundInTheContextItWasRegisteredIn() {
        Context context = Context.create();
        assertThat(CorrelationId.from(context).isPresent(), is(false));
        CorrelationId.register(context, "abc");
        assertThat(CorrelationId.from(context).orElseThrow(), is("abc"));
        assertThat(CorrelationId.from(Context.create(context)).orElseThrow(), is("abc"));
    }

    @Test
    void currentReadsTheThreadsContext() {
        assertThat(CorrelationId.current().isPresent(), is(false));
        Context context = Context.create();
        CorrelationId.register(context, "in-context");
        Contexts.runInContext(context, () -> assertThat(CorrelationId.current().orElseThrow(), is("in-context")));
    }
}
