package io.dharma.resilience;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/** Test configuration and metric helpers. */
final class Fixtures {
    private Fixtures() {
    }

    static Config yaml(String yaml) {
        return Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML));
    }

    /** Downstreams from the YAML of a {@code resilience} root. */
    static Downstreams downstreams(String yaml) {
        return Downstreams.create(yaml(yaml).get("resilience"));
    }

    static double counter(String name, String... tags) {
        return Metrics.globalRegistry().counter(name, tags(tags)).map(Counter::count).map(Long::doubleValue).orElse(0.0);
    }

    static List<Tag> tags(String... keyValues) {
        return java.util.stream.IntStream.range(0, keyValues.length / 2)
                .mapToObj(i -> Tag.create(keyValues[2 * i], keyValues[2 * i + 1]))
                .toList();
    }

    /** Wait (bounded) for a condition that a timer makes true, such as a breaker turning half-open. */
    static void await(BooleanSupplier condition, Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + atMost);
            }
            Thread.sleep(10);
        }
    }
}
