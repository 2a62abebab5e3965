package io.dharma.resilience;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.dharma.testing.YamlConfig;

/** Test configuration helpers. */
final class Fixtures {
    private Fixtures() {
    }

    /** Downstreams from the YAML of a {@code resilience} root. */
    static Downstreams downstreams(String yaml) {
        return Downstreams.create(YamlConfig.parse(yaml).get("resilience"));
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
