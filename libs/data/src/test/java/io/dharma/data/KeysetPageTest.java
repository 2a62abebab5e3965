package io.dharma.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@link KeysetPage#json} writes the bytes JSON-B writes for the same page.
 */
class KeysetPageTest {
    private static final Jsonb JSON_B = JsonbBuilder.create();
    private static final String CHARACTERS = "aZ09 _-.\"\\/\n\t\u0001é€😀";

    @Test
    void theBytesAreWhatJsonBWritesForTheSamePage() {
        Random random = new Random(42);
        for (int n = 0; n < 2_000; n++) {
            List<Row> rows = new ArrayList<>();
            int size = random.nextInt(6);
            for (int i = 0; i < size; i++) {
                rows.add(new Row(text(random), random.nextInt(), random.nextBoolean() ? null : text(random)));
            }
            Optional<String> cursor = random.nextBoolean() ? Optional.empty() : Optional.of(text(random));
            KeysetPage<Row> page = new KeysetPage<>(rows, new PageInfo(1 + random.nextInt(100), cursor));
            String expected = JSON_B.toJson(page);
            String actual = new String(page.json(row -> JSON_B.toJson(row).getBytes(StandardCharsets.UTF_8)),
                                       StandardCharsets.UTF_8);
            assertThat(actual, is(expected));
        }
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(CHARACTERS.codePointAt(CHARACTERS.offsetByCodePoints(0, random.nextInt(
                    CHARACTERS.codePointCount(0, CHARACTERS.length())))));
        }
        return text.toString();
    }

    /**
     * A row.
     *
     * @param name  name
     * @param count count
     * @param note  absent or a note
     */
    public record Row(String name, int count, String note) {
    }
}
