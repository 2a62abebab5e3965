package io.dharma.errors;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PathPrefixTest {
    @Test
    void matchesWholeSegmentsOnly() {
        PathPrefix metrics = new PathPrefix("/metrics");
        assertThat(metrics.matches("/metrics"), is(true));
        assertThat(metrics.matches("/metrics/"), is(true));
        assertThat(metrics.matches("/metrics/x"), is(true));
        assertThat(metrics.matches("/metrics-x"), is(false));
        assertThat(metrics.matches("/metricsx"), is(false));
        assertThat(metrics.matches("/healthz"), is(false));
        assertThat(new PathPrefix("/api/").matches("/api/v1"), is(true));
        assertThat(new PathPrefix("/api/").matches("/apix"), is(false));
        assertThat(new PathPrefix("/").matches("/anything"), is(true));
        assertThat(PathPrefix.anyMatches(List.of(new PathPrefix("/a"), new PathPrefix("/b")), "/b/c"), is(true));
        assertThrows(IllegalArgumentException.class, () -> new PathPrefix("metrics"));
    }

    @Test
    void normalPathsAreThoseEveryReaderSeesAlike() {
        for (String normal : List.of("/", "/api/v1/things/1", "/api/v1/things/", "/a%20b", "/v1.2/x", "/a/..b/.c")) {
            assertThat(normal, RequestGuard.isNormal(normal), is(true));
        }
        for (String odd : List.of("/a/../b", "/a/./b", "/a/..", "/a/.", "//a", "/a//b", "/a%2Fb", "/a%2fb", "/a%5Cb",
                                  "/a\\b", "/a/%2e%2e/b", "/a/%2E/b", "/a/.%2e/b")) {
            assertThat(odd, RequestGuard.isNormal(odd), is(false));
        }
    }
}
