package io.dharma.errors;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The directly written problem text is the JSON-P tree's text, for any content a detail, path or field error can hold.
 */
class ProblemJsonTest {
    private static final String ALPHABET = "az AZ09\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u00e9\u2028\ud83d\ude00\ud800<>&'";

    @Test
    void directTextEqualsTheTreesText() {
        Random random = new Random(9457);
        for (int i = 0; i < 5_000; i++) {
            List<FieldError> errors = new ArrayList<>();
            for (int e = random.nextInt(3); e > 0; e--) {
                errors.add(new FieldError(text(random), text(random)));
            }
            Map<String, Object> members = new LinkedHashMap<>();
            switch (random.nextInt(4)) {
            case 0 -> members.put("retryAfter", random.nextLong());
            case 1 -> members.put("policy", text(random));
            case 2 -> {
                members.put("limit", random.nextInt());
                members.put("ratio", random.nextDouble());
            }
            default -> {
            }
            }
            Problem problem = new Problem(text(random), text(random), 400 + random.nextInt(200), text(random),
                                          text(random), text(random), text(random),
                                          instant(random),
                                          errors, members);
            assertThat(problem.json(), is(problem.toJson().toString()));
        }
    }

    /** Seconds that repeat (the kept text of a second) and fractions of 0, 3, 6 and 9 digits. */
    private static Instant instant(Random random) {
        long second = random.nextBoolean() ? 1_764_940_000L + random.nextInt(3)
                : random.nextLong(-62_000_000_000L, 250_000_000_000L);
        int nanos = switch (random.nextInt(4)) {
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(second, nanos);
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int c = random.nextInt(12); c > 0; c--) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
