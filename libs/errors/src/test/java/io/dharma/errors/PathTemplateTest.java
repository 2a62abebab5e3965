package io.dharma.errors;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

import io.helidon.common.uri.UriPath;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class PathTemplateTest {
    private static final List<String> TEMPLATE_SEGMENTS = List.of("api", "v1", "a", "b.c", "{id}", "{x}", "{y_2}");
    private static final List<String> EXTRA_TEMPLATES = List.of("/api/*", "/api", "/", "/{+rest}", "/a/{id:\\d+}",
                                                                "/a/[{id}]", "/a/*/c", "/a/{id}/*", "/a/{id}/");
    private static final List<String> PATH_SEGMENTS = List.of("api", "v1", "a", "b.c", "bxc", "1", "42", "x%20y",
                                                              "%7Bid%7D", "%C3%A9");

    @Test
    void answersWhatHelidonsMatcherAnswers() {
        Random random = new Random(20261204);
        int fast = 0;
        for (int t = 0; t < 400; t++) {
            String template = t < EXTRA_TEMPLATES.size() ? EXTRA_TEMPLATES.get(t) : "/" + random.ints(1 + random.nextInt(4), 0,
                    TEMPLATE_SEGMENTS.size()).mapToObj(TEMPLATE_SEGMENTS::get).collect(Collectors.joining("/"));
            PathTemplate compiled = PathTemplate.create(template);
            PathMatcher helidon = PathMatchers.create(template);
            for (int p = 0; p < 200; p++) {
                String path = "/" + random.ints(random.nextInt(6), 0, PATH_SEGMENTS.size())
                        .mapToObj(PATH_SEGMENTS::get).collect(Collectors.joining("/")) + (random.nextInt(5) == 0 ? "/" : "");
                if (p % 3 == 0 && t >= EXTRA_TEMPLATES.size()) {
                    // paths derived from the template hit the matching side often
                    path = template.replace("{id}", PATH_SEGMENTS.get(random.nextInt(PATH_SEGMENTS.size())))
                            .replace("{x}", "42").replace("{y_2}", "b.c") + (random.nextBoolean() ? "" : "/1");
                }
                UriPath uri = UriPath.create(path);
                String what = template + " vs " + path;
                PathMatchers.MatchResult whole = helidon.match(uri);
                assertThat(what, compiled.matches(uri), is(whole.accepted()));
                assertThat(what, compiled.matchesPrefix(uri), is(helidon.prefixMatch(uri).accepted()));
                Optional<Map<String, String>> expected = whole.accepted()
                        ? Optional.of(whole.path().pathParameters().toMap().entrySet().stream()
                                              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getFirst())))
                        : Optional.empty();
                assertThat(what, compiled.parameters(uri), is(expected));
                fast += whole.accepted() ? 1 : 0;
            }
        }
        assertThat("the generated paths match often enough to compare parameters", fast > 5000, is(true));
    }

    @Test
    void parametersAreWholeSegments() {
        PathTemplate template = PathTemplate.create("/api/v1/things/{id}/parts/{part}");
        assertThat(template.parameters(UriPath.create("/api/v1/things/7/parts/x")),
                   is(Optional.of(Map.of("id", "7", "part", "x"))));
        assertThat(template.matches(UriPath.create("/api/v1/things/7/parts")), is(false));
        assertThat(template.matches(UriPath.create("/api/v1/things//parts/x")), is(false));
        assertThat(template.matchesPrefix(UriPath.create("/api/v1/things/7/parts/x/y")), is(true));
        assertThat(template.matchesPrefix(UriPath.create("/api/v1/things/7/parts/xy")), is(true));
        assertThat(template.matchesPrefix(UriPath.create("/api/v1/things/7/partsx/y")), is(false));
    }
}
