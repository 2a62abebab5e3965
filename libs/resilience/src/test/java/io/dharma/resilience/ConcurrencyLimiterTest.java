package io.dharma.resilience;

import java.time.Duration;
import java.util.Optional;

import io.dharma.testing.FakeClock;
import io.dharma.testing.Meters;
import io.dharma.testing.YamlConfig;

import io.helidon.config.Config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Admitting and refusing requests, its meters, and {@code resilience.concurrency}. */
@Timeout(10)
class ConcurrencyLimiterTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void admitsUpToTheLimitThenRefusesUntilOneIsReleased() {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.create(fixed(2), clock::nanoTime);
        double shedBefore = Meters.counter(ConcurrencyLimiter.SHED);
        ConcurrencyLimiter.Permit first = limiter.tryAcquire().orElseThrow();
        ConcurrencyLimiter.Permit second = limiter.tryAcquire().orElseThrow();
        assertThat(limiter.tryAcquire(), is(Optional.empty()));
        assertThat(limiter.inFlight(), is(2));
        assertThat(limiter.shed(), is(1L));
        assertThat(Meters.counter(ConcurrencyLimiter.SHED) - shedBefore, is(1.0));
        assertThat(Meters.gauge(ConcurrencyLimiter.IN_FLIGHT), is(2.0));
        assertThat(Meters.gauge(ConcurrencyLimiter.LIMIT), is(2.0));

        first.release();
        first.release();
        assertThat("a second release is ignored", limiter.inFlight(), is(1));
        limiter.tryAcquire().orElseThrow();
        assertThat(limiter.tryAcquire(), is(Optional.empty()));
        second.release();
        assertThat(limiter.inFlight(), is(1));
    }

    @Test
    void theVegasLimitStartsAtTheInitialLimit() {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.create(ConcurrencyConfig.DEFAULT, clock::nanoTime);
        for (int i = 0; i < ConcurrencyConfig.DEFAULT_INITIAL_LIMIT; i++) {
            limiter.tryAcquire().orElseThrow();
        }
        assertThat(limiter.tryAcquire(), is(Optional.empty()));
        assertThat(limiter.limit(), is(100));
    }

    @Test
    void aMissingNodeIsTheDefault() {
        assertThat(ConcurrencyConfig.create(YamlConfig.parse("{}").get("resilience.concurrency")),
                   is(ConcurrencyConfig.DEFAULT));
    }

    @Test
    void everySettingIsRead() {
        ConcurrencyConfig config = ConcurrencyConfig.create(YamlConfig.parse("""
                resilience:
                  concurrency:
                    enabled: false
                    algorithm: fixed
                    initial-limit: 64
                    min-limit: 8
                    max-limit: 128
                    window: PT0.2S
                    probe-interval: PT30S
                    tolerated-delay: PT0.05S
                    retry-after: PT2S
                """).get("resilience.concurrency"));
        assertThat(config, is(new ConcurrencyConfig(false, ConcurrencyConfig.Algorithm.FIXED, 64, 8, 128,
                                                    Duration.ofMillis(200), Duration.ofSeconds(30),
                                                    Duration.ofMillis(50), Duration.ofSeconds(2))));
    }

    @Test
    void invalidSettingsStopTheStartNamingTheKey() {
        assertThat(invalid("algorithm: gradient"), containsString("resilience.concurrency.algorithm must be vegas or fixed"));
        assertThat(invalid("min-limit: 0"), containsString("resilience.concurrency.min-limit must be at least 1"));
        assertThat(invalid("{min-limit: 10, max-limit: 5}"), containsString("max-limit (5) must not be below"));
        assertThat(invalid("initial-limit: 1000"), containsString("initial-limit must be from min-limit (4) to max-limit"));
        assertThat(invalid("window: soon"), containsString("resilience.concurrency.window must be an ISO-8601 duration"));
        assertThat(invalid("tolerated-delay: PT-1S"),
                   containsString("resilience.concurrency.tolerated-delay must not be negative"));
        assertThat(invalid("retry-after: PT0S"), containsString("resilience.concurrency.retry-after must be positive"));
        assertThat(invalid("limit: 10"), containsString("resilience.concurrency: unknown key 'limit'"));
    }

    private static String invalid(String settings) {
        String single = settings.startsWith("{") ? settings : "{" + settings + "}";
        Config node = YamlConfig.parse("resilience:\n  concurrency: " + single + "\n").get("resilience.concurrency");
        return assertThrows(ResilienceException.class, () -> ConcurrencyConfig.create(node)).getMessage();
    }

    private static ConcurrencyConfig fixed(int limit) {
        return new ConcurrencyConfig(true, ConcurrencyConfig.Algorithm.FIXED, limit, 1, limit, Duration.ofMillis(100),
                                     Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(1));
    }
}
