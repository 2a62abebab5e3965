package io.dharma.cache;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CachesConfigTest {
    @Test
    void defaults() {
        CachesConfig config = Fixtures.config("other: 1");
        assertThat(config.enabled(), is(true));
        assertThat(config.keyPrefix(), is("cache:"));
        assertThat(config.redisTimeout(), is(Duration.ofMillis(50)));
        assertThat(config.degradedTtl(), is(Duration.ofSeconds(5)));
        assertThat(config.cache("anything"), is(CacheConfig.DEFAULTS));
    }

    @Test
    void namedCachesFallBackToTheRootKeys() {
        CachesConfig config = Fixtures.config("""
                cache:
                  redis-timeout: PT0.02S
                  l1: {ttl: PT5S}
                  l2: {ttl: PT1H, jitter: PT1M}
                  lease: {wait: PT0.2S}
                  caches:
                    blueprints:
                      l1: {max-size: 500}
                      tags: false
                """);
        assertThat(config.redisTimeout(), is(Duration.ofMillis(20)));
        CacheConfig blueprints = config.cache("blueprints");
        assertThat(blueprints.l1MaxSize(), is(500L));
        assertThat(blueprints.l1Ttl(), is(Duration.ofSeconds(5)));
        assertThat(blueprints.l2Ttl(), is(Duration.ofHours(1)));
        assertThat(blueprints.l2Jitter(), is(Duration.ofMinutes(1)));
        assertThat(blueprints.leaseWait(), is(Duration.ofMillis(200)));
        assertThat(blueprints.leaseTtl(), is(CacheConfig.DEFAULT_LEASE_TTL));
        assertThat(blueprints.tags(), is(false));
        assertThat(config.cache("other").tags(), is(true));
        assertThat(config.cache("other").l1MaxSize(), is(CacheConfig.DEFAULT_L1_MAX_SIZE));
    }

    @Test
    void invalidValuesNameTheirKey() {
        CacheException jitter = assertThrows(CacheException.class, () -> Fixtures.config("""
                cache:
                  caches:
                    blueprints: {l2: {ttl: PT1M, jitter: PT1M}}
                """));
        assertThat(jitter.getMessage(), containsString("cache.caches.blueprints"));
        assertThat(jitter.getMessage(), containsString("l2.jitter"));
        assertThrows(CacheException.class, () -> Fixtures.config("cache: {l1: {max-size: -1}}"));
        assertThrows(CacheException.class, () -> Fixtures.config("cache: {l2: {ttl: PT10S, jitter: PT2S}, refresh-ahead: PT8S}"));
        assertThrows(CacheException.class, () -> Fixtures.config("cache: {redis-timeout: PT0S}"));
        assertThrows(CacheException.class, () -> Fixtures.config("cache: {probe-backoff: PT1S, max-probe-backoff: PT0.5S}"));
        assertThrows(CacheException.class, () -> Fixtures.config("cache: {caches: {'bad name': {}}}"));
    }
}
