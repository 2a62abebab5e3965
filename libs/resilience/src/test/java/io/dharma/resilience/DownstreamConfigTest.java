package io.dharma.resilience;

import java.net.URI;
import java.time.Duration;

import io.dharma.testing.YamlConfig;

import io.helidon.config.Config;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reading and validating {@code resilience.downstreams.<name>}. */
class DownstreamConfigTest {
    @Test
    void onlyTheBaseUrlIsRequired() {
        DownstreamConfig config = config("""
                cost-service:
                  base-url: http://cost-service:8081
                """);
        assertThat(config, is(DownstreamConfig.defaults("cost-service", URI.create("http://cost-service:8081"))));
        assertThat(config.timeout(), is(Duration.ofSeconds(2)));
        assertThat(config.retry(), is(new DownstreamConfig.Retry(3, Duration.ofMillis(100), Duration.ofSeconds(1), true,
                                                                 Duration.ofSeconds(5))));
        assertThat(config.breaker(), is(new DownstreamConfig.Breaker(20, 50, Duration.ofSeconds(5), 1)));
        assertThat(config.bulkhead(), is(new DownstreamConfig.Bulkhead(32, 64)));
        assertThat(config.readiness(), is(false));
    }

    @Test
    void everySettingIsRead() {
        DownstreamConfig config = config("""
                pricing:
                  base-url: https://pricing.internal/v2
                  timeout: PT0.5S
                  retry: {attempts: 5, delay: PT0.2S, max-delay: PT3S, jitter: false, overall-timeout: PT10S}
                  breaker: {window: 10, failure-ratio: 30, delay: PT30S, success-threshold: 2}
                  bulkhead: {limit: 4, queue: 0}
                  readiness: true
                """);
        assertThat(config, is(new DownstreamConfig(
                "pricing", URI.create("https://pricing.internal/v2"), Duration.ofMillis(500),
                new DownstreamConfig.Retry(5, Duration.ofMillis(200), Duration.ofSeconds(3), false, Duration.ofSeconds(10)),
                new DownstreamConfig.Breaker(10, 30, Duration.ofSeconds(30), 2),
                new DownstreamConfig.Bulkhead(4, 0),
                true)));
    }

    @Test
    void aLongFirstDelayRaisesTheDefaultCap() {
        DownstreamConfig config = config("""
                slow:
                  base-url: http://slow
                  retry: {delay: PT2S, overall-timeout: PT30S}
                """);
        assertThat(config.retry().maxDelay(), is(Duration.ofSeconds(2)));
    }

    @Test
    void invalidSettingsAreRefusedWithTheirKey() {
        assertMessage("cost:\n  timeout: PT1S", "resilience.downstreams.cost.base-url is required");
        assertMessage("cost:\n  base-url: cost-service:8081",
                      "resilience.downstreams.cost.base-url must be an absolute http or https URL, not 'cost-service:8081'");
        assertMessage("cost:\n  base-url: http://cost\n  timeout: 2s",
                      "resilience.downstreams.cost.timeout must be an ISO-8601 duration such as PT2S, not '2s'");
        assertMessage("cost:\n  base-url: http://cost\n  retries: {attempts: 2}",
                      "resilience.downstreams.cost: unknown key 'retries' (known: base-url, breaker, bulkhead, readiness,"
                              + " retry, timeout)");
        assertMessage("cost:\n  base-url: http://cost\n  retry: {attempt: 2}",
                      "resilience.downstreams.cost.retry: unknown key 'attempt' (known: attempts, delay, jitter, max-delay,"
                              + " overall-timeout)");
        assertMessage("cost:\n  base-url: http://cost\n  retry: {attempts: 0}",
                      "resilience.downstreams.cost.retry.attempts must be at least 1, not 0");
        assertMessage("cost:\n  base-url: http://cost\n  retry: {attempts: many}",
                      "resilience.downstreams.cost.retry.attempts must be a whole number, not 'many'");
        assertMessage("cost:\n  base-url: http://cost\n  retry: {delay: PT1S, max-delay: PT0.5S}",
                      "resilience.downstreams.cost.retry.max-delay (PT0.5S) must not be below retry.delay (PT1S)");
        assertMessage("cost:\n  base-url: http://cost\n  timeout: PT10S",
                      "resilience.downstreams.cost.retry.overall-timeout (PT5S) must not be shorter than"
                              + " resilience.downstreams.cost.timeout (PT10S)");
        assertMessage("cost:\n  base-url: http://cost\n  breaker: {failure-ratio: 0.5}",
                      "resilience.downstreams.cost.breaker.failure-ratio must be a whole number, not '0.5'");
        assertMessage("cost:\n  base-url: http://cost\n  breaker: {failure-ratio: 150}",
                      "resilience.downstreams.cost.breaker.failure-ratio must be a percentage from 1 to 100, not 150");
        assertMessage("cost:\n  base-url: http://cost\n  breaker: {delay: PT0S}",
                      "resilience.downstreams.cost.breaker.delay must be positive, not PT0S");
        assertMessage("cost:\n  base-url: http://cost\n  bulkhead: {limit: 0}",
                      "resilience.downstreams.cost.bulkhead.limit must be at least 1, not 0");
        assertMessage("cost:\n  base-url: http://cost\n  bulkhead: 10",
                      "resilience.downstreams.cost.bulkhead must be a node with the keys limit, queue");
        assertMessage("cost:\n  base-url: http://cost\n  readiness: yes-please",
                      "resilience.downstreams.cost.readiness must be true or false, not 'yes-please'");
    }

    @Test
    void downstreamsAreLookedUpByName() {
        Downstreams downstreams = Fixtures.downstreams("""
                resilience:
                  downstreams:
                    config-a: {base-url: "http://a"}
                    config-b: {base-url: "http://b", readiness: true}
                """);
        assertThat(downstreams.names().stream().sorted().toList(), is(java.util.List.of("config-a", "config-b")));
        assertThat(downstreams.get("config-b").name(), is("config-b"));
        assertThat(downstreams.readinessChecks().size(), is(1));
        assertThat(downstreams.readinessChecks().getFirst().name(), is("downstream-config-b"));
        ResilienceException e = assertThrows(ResilienceException.class, () -> downstreams.get("config-c"));
        assertThat(e.getMessage(), is("No downstream 'config-c' under resilience.downstreams (configured: config-a, config-b)"));
        assertThat(Fixtures.downstreams("other: {}").names().isEmpty(), is(true));
    }

    @Test
    void requestPathsMustBeRelative() {
        assertThrows(ResilienceException.class, () -> DownstreamRequest.of(io.helidon.http.Method.GET, "http://evil/x"));
        assertThrows(ResilienceException.class, () -> DownstreamRequest.of(io.helidon.http.Method.GET, "//evil/x"));
        assertThrows(ResilienceException.class, () -> DownstreamRequest.of(io.helidon.http.Method.GET, "x"));
        assertThrows(ResilienceException.class, () -> DownstreamRequest.of(io.helidon.http.Method.GET, "/a b"));
        assertThat(DownstreamRequest.of(io.helidon.http.Method.GET, "/a?b=c%20d").path(), is("/a?b=c%20d"));
    }

    private static void assertMessage(String yaml, String message) {
        ResilienceException e = assertThrows(ResilienceException.class, () -> config(yaml));
        assertThat(e.getMessage(), is(message));
    }

    private static DownstreamConfig config(String downstreamsYaml) {
        Config downstreams = YamlConfig.parse("resilience:\n  downstreams:\n"
                                                   + downstreamsYaml.indent(4)).get("resilience.downstreams");
        return DownstreamConfig.create(downstreams.asNodeList().orElseThrow().getFirst());
    }
}
