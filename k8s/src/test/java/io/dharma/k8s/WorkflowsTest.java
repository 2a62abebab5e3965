package io.dharma.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/** The delivery workflows cannot run here: their YAML is parsed and checked instead. */
class WorkflowsTest {
    private static final Path GITHUB = Repository.ROOT.resolve(".github");

    @Test
    void everyWorkflowParsesAndIsComplete() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(GITHUB.resolve("workflows"))) {
            files = list.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files.stream().map(p -> p.getFileName().toString()).toList(),
                   hasItems("ci.yml", "images.yml", "deploy.yml"));
        for (Path file : files) {
            assertThat(file.toString(), Workflows.violations(file.getFileName().toString(), load(file)), is(empty()));
        }
    }

    @Test
    void dependabotCoversMavenAndActions() throws IOException {
        assertThat(Workflows.dependabot(load(GITHUB.resolve("dependabot.yml"))), is(empty()));
    }

    @Test
    void productionWaitsForStagingBehindAnEnvironment() throws IOException {
        Map<?, ?> jobs = (Map<?, ?>) load(GITHUB.resolve("workflows/deploy.yml")).get("jobs");
        Map<?, ?> production = (Map<?, ?>) jobs.get("production");
        assertThat(production.get("needs"), is("staging"));
        assertThat(production.get("environment"), is("production"));
    }

    @Test
    void brokenWorkflowsAreReported() {
        Map<Object, Object> workflow = new Yaml().load("""
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@main
                      - uses: actions/setup-java@v4
                      - name: nothing
                  empty:
                    runs-on: ubuntu-24.04
                """);
        List<String> violations = Workflows.violations("broken.yml", workflow);
        assertThat(violations, hasItem(containsString("no name")));
        assertThat(violations, hasItem(containsString("no top-level permissions")));
        assertThat(violations, hasItem(containsString("not *-latest")));
        assertThat(violations, hasItem(containsString("uses actions/checkout@main, not pinned")));
        assertThat(violations, hasItem(containsString("uses actions/setup-java@v4, not pinned")));
        assertThat(violations, hasItem(containsString("neither run nor uses")));
        assertThat(violations, hasItem(containsString("job empty has no steps")));
        assertThat(Workflows.violations("none.yml", new Yaml().load("name: x")), hasItem(containsString("no triggers")));
        assertThat(Workflows.dependabot(new Yaml().load("version: 1\nupdates: []")),
                   hasItems(containsString("version must be 2"), containsString("maven"), containsString("github-actions")));
    }

    private static Map<Object, Object> load(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }
}
