package io.dharma.testing;

import java.util.ArrayList;
import java.util.List;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/** Values of meters in Helidon's global registry, looked up by name and tags as a test names them. */
public final class Meters {
    private Meters() {
    }

    /**
     * A counter's count.
     *
     * @param name      meter name, dotted ({@code cache.loads})
     * @param keyValues tag names and values, alternating
     * @return its count, 0 when no such counter is registered yet
     */
    public static double counter(String name, String... keyValues) {
        return Metrics.globalRegistry().counter(name, tags(keyValues)).map(Counter::count).orElse(0L);
    }

    /**
     * A gauge's value.
     *
     * @param name      meter name, dotted
     * @param keyValues tag names and values, alternating
     * @return its value
     * @throws AssertionError when no such gauge is registered
     */
    public static double gauge(String name, String... keyValues) {
        return Metrics.globalRegistry().gauge(name, tags(keyValues))
                .map(Gauge::value)
                .map(Number::doubleValue)
                .orElseThrow(() -> new AssertionError("no gauge " + name + " " + List.of(keyValues)));
    }

    /**
     * Tags from alternating names and values.
     *
     * @param keyValues {@code name, value, name, value ...}
     * @return the tags
     */
    public static List<Tag> tags(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("tag names and values alternate: " + List.of(keyValues));
        }
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            tags.add(Tag.create(keyValues[i], keyValues[i + 1]));
        }
        return tags;
    }
}
