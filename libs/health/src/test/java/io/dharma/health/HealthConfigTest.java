package io.dharma.health;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HealthConfigTest {
    @Test
    void aTimeoutOrCacheTtlThatIsNotPositiveIsAConfigError() {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-1)}) {
            assertThat(assertThrows(HealthConfigException.class, () -> new HealthConfig("/health", bad)).getMessage(),
                       containsString("health.timeout must be positive"));
            assertThat(assertThrows(HealthConfigException.class,
                                    () -> new HealthConfig("/health", Duration.ofSeconds(1), bad, true)).getMessage(),
                       containsString("health.cache-ttl must be positive"));
        }
    }
}
