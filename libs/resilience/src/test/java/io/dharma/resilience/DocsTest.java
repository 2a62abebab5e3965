package io.dharma.resilience;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dharma.testing.YamlConfig;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The example configurations in docs/resilience.md are valid and state the defaults. */
class DocsTest {
    @Test
    void exampleConfigurationShowsTheDefaults() throws Exception {
        String doc = Files.readString(Path.of("../../docs/resilience.md"));
        Matcher yaml = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat("docs/resilience.md has a yaml block", yaml.find(), is(true));
        DownstreamConfig documented = ((ResilientDownstream) Fixtures.downstreams(yaml.group(1)).get("cost-service")).config();
        DownstreamConfig defaults = DownstreamConfig.defaults("cost-service", URI.create("http://cost-service:8081"));
        assertThat(documented, is(new DownstreamConfig(defaults.name(), defaults.baseUrl(), defaults.timeout(),
                                                       defaults.retry(), defaults.breaker(), defaults.bulkhead(), true)));
    }

    @Test
    void concurrencyExampleShowsTheDefaults() throws Exception {
        String doc = Files.readString(Path.of("../../docs/resilience.md"));
        Matcher yaml = Pattern.compile("```yaml\n(resilience:\n  concurrency:.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat("docs/resilience.md has a yaml block of resilience.concurrency", yaml.find(), is(true));
        assertThat(ConcurrencyConfig.create(YamlConfig.parse(yaml.group(1)).get("resilience.concurrency")),
                   is(ConcurrencyConfig.DEFAULT));
    }
}
