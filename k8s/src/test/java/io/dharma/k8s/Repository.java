package io.dharma.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths of the repository the tests check (system property {@code dharma.root}, set by the module's pom). */
final class Repository {
    static final Path ROOT = Path.of(System.getProperty("dharma.root", "..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("k8s");

    private Repository() {
    }

    /** Every service under services/ (a directory with an application.yaml). */
    static List<String> services() {
        try (Stream<Path> dirs = Files.list(ROOT.resolve("services"))) {
            return dirs.filter(d -> Files.exists(d.resolve("src/main/resources/application.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of docs/deploy.md, where Secrets created outside the repository are documented. */
    static String deployDocs() {
        try {
            return Files.readString(ROOT.resolve("docs/deploy.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
