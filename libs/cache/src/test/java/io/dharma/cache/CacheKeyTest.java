package io.dharma.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CacheKeyTest {
    /** Characters that separate, mark or escape, and their look-alikes; empty components and lone surrogates. */
    private static final List<String> PIECES = List.of("", "a", "b", "|", "*", "%", "%7C", "%2A", "u", "%u00E9", "#", ",",
                                                       "é", "\uD800", "?", "\uDC00", "😀", " ", "+", "~", "F", "0");

    @Test
    void anyIsNoSubject() {
        assertThat(CacheKey.of("owner").with("*").text(), is(not(CacheKey.of("owner").withAny().text())));
        assertThat(CacheKey.of("owner").withAny().text(), is("owner|*"));
        assertThat(CacheKey.of("owner").with("provider|123").text(), is("owner|provider%7C123"));
    }

    @Test
    void separatorsInsideComponentsDoNotCollide() {
        assertThat(CacheKey.of("p").with("a|b").text(), is(not(CacheKey.of("p").with("a").with("b").text())));
        assertThat(CacheKey.of("p").with("a,b").text(), is(not(CacheKey.of("p").with("a").with("b").text())));
        assertThat(CacheKey.of("p").with("").text(), is(not(CacheKey.of("p").withAny().text())));
        assertThat(CacheKey.of("p").with("").with("").text(), is(not(CacheKey.of("p").with("|").text())));
    }

    @Test
    void emptyFirstComponentIsRefused() {
        assertThrows(CacheException.class, () -> CacheKey.of(""));
    }

    /** Property: random component lists (Optional.empty = any) map to distinct texts, and each text decodes back. */
    @Test
    void encodingIsInjective() {
        Random random = new Random(12);
        Map<String, List<Optional<String>>> seen = new HashMap<>();
        for (int run = 0; run < 20_000; run++) {
            List<Optional<String>> components = randomComponents(random);
            String text = build(components).text();
            List<Optional<String>> before = seen.putIfAbsent(text, components);
            if (before != null) {
                assertThat("same text " + text, before, is(components));
            }
            if (!text.startsWith("#")) {
                assertThat(decode(text), is(components));
            }
            assertThat(text.length(), lessThanOrEqualTo(CacheKey.MAX_LENGTH));
        }
    }

    @Test
    void longKeysAreHashedToDistinctBoundedTexts() {
        String long1 = "x".repeat(300);
        String text1 = CacheKey.of("q").with(long1).text();
        String text2 = CacheKey.of("q").with(long1 + "y").text();
        assertThat(text1, startsWith("#"));
        assertThat(text1, is(not(text2)));
        assertThat(text1.length(), is(44));
        assertThat(CacheKey.of("q").with(long1), is(CacheKey.of("q").with(long1)));
        Checks.key(text1);
        Checks.tag(text1);
    }

    private static List<Optional<String>> randomComponents(Random random) {
        List<Optional<String>> components = new ArrayList<>();
        components.add(Optional.of("k"));
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            if (random.nextInt(6) == 0) {
                components.add(Optional.empty());
                continue;
            }
            StringBuilder component = new StringBuilder();
            int pieces = random.nextInt(random.nextInt(20) == 0 ? 80 : 5);
            for (int p = 0; p < pieces; p++) {
                component.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            components.add(Optional.of(component.toString()));
        }
        return components;
    }

    private static CacheKey build(List<Optional<String>> components) {
        CacheKey key = CacheKey.of(components.getFirst().orElseThrow());
        for (Optional<String> c : components.subList(1, components.size())) {
            key = c.isPresent() ? key.with(c.get()) : key.withAny();
        }
        return key;
    }

    /** Reads the components back, as the format description says is possible. */
    private static List<Optional<String>> decode(String text) {
        List<Optional<String>> components = new ArrayList<>();
        for (String part : text.split("\\|", -1)) {
            if (part.equals("*")) {
                components.add(Optional.empty());
                continue;
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c != '%') {
                    out.append(c);
                } else if (part.charAt(i + 1) == 'u') {
                    out.append((char) Integer.parseInt(part.substring(i + 2, i + 6), 16));
                    i += 5;
                } else {
                    out.append((char) Integer.parseInt(part.substring(i + 1, i + 3), 16));
                    i += 2;
                }
            }
            components.add(Optional.of(out.toString()));
        }
        return components;
    }
}
