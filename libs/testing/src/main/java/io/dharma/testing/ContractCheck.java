package io.dharma.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The contract check every Dharma service with an OpenAPI document passes: the document and the routing agree, and the
 * document served at {@code /openapi} is the checked-in file. A service runs it with one test class that starts the
 * service in the test JVM:
 * <pre>{@code
 * class BlueprintContractTest extends ContractCheck {
 *     private DharmaService service;
 *
 *     @BeforeAll
 *     void start() {
 *         service = TestServices.start(Map.of());
 *     }
 *
 *     @AfterAll
 *     void stop() {
 *         service.stop();
 *     }
 *
 *     protected int port() {
 *         return service.port();
 *     }
 *
 *     protected Collection<String> routes() {
 *         return service.routes();
 *     }
 * }
 * }</pre>
 * Checks: every route the service registered is an operation of the document, every operation of the document is
 * routed (both as {@code METHOD /template}, path parameters named alike), the served document (YAML, and JSON on
 * {@code Accept: application/json}) equals {@code src/main/resources/META-INF/openapi.yaml}, the shared components it
 * refers to are served where its references point, and the document needs no token and is never rate-limited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContractCheck {
    /** Where a service keeps its document, relative to the module (the working directory of its tests). */
    public static final Path DOCUMENT = Path.of("src", "main", "resources", "META-INF", "openapi.yaml");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final Path document;
    private final String path;

    /**
     * The check of {@link #DOCUMENT}, served at {@code /openapi}.
     */
    protected ContractCheck() {
        this(DOCUMENT, "/openapi");
    }

    /**
     * The check of another document or path.
     *
     * @param document the checked-in document
     * @param path     where the service serves it ({@code openapi.path})
     */
    protected ContractCheck(Path document, String path) {
        this.document = document;
        this.path = path;
    }

    /**
     * The port of the running service.
     *
     * @return port
     */
    protected abstract int port();

    /**
     * Every API route the service registered, as {@code METHOD /template} ({@code DharmaService.routes()}).
     *
     * @return routes
     */
    protected abstract Collection<String> routes();

    /**
     * Every route the service registered is an operation of the document.
     */
    @Test
    public void everyRouteIsInTheDocument() {
        SortedSet<String> undocumented = new TreeSet<>(routes());
        undocumented.removeAll(operations(checkedIn()));
        assertThat("routed but not in " + document, undocumented, is(empty()));
    }

    /**
     * Every operation of the document is routed.
     */
    @Test
    public void everyOperationIsRouted() {
        SortedSet<String> unrouted = operations(checkedIn());
        unrouted.removeAll(routes());
        assertThat("in " + document + " but not routed", unrouted, is(empty()));
    }

    /**
     * The served document, as YAML and as JSON, is the checked-in file.
     */
    @Test
    public void theServedDocumentIsTheCheckedInFile() {
        Object checkedIn = checkedIn();
        HttpTestClient client = HttpTestClient.create(port());
        HttpTestClient.Response yaml = client.get(path);
        assertThat(yaml.body(), yaml.status(), is(200));
        assertThat(yaml.header("Content-Type").orElse(""), startsWith("application/vnd.oai.openapi"));
        assertThat("served YAML", new Yaml().load(yaml.body()), is(checkedIn));
        HttpTestClient.Response json = client.get(path, "Accept", "application/json");
        assertThat(json.header("Content-Type").orElse(""), startsWith("application/json"));
        assertThat("served JSON", new Yaml().load(json.body()), is(checkedIn));
    }

    /**
     * Every reference to another document resolves against the served document's URL, to a component that is
     * served there.
     */
    @Test
    public void referencedDocumentsAreServed() {
        HttpTestClient client = HttpTestClient.create(port());
        URI base = URI.create("http://127.0.0.1:" + port() + path);
        List<String> broken = new ArrayList<>();
        for (String ref : externalRefs(checkedIn(), new TreeSet<>())) {
            int hash = ref.indexOf('#');
            HttpTestClient.Response referenced = client.get(base.resolve(ref.substring(0, hash)).getPath());
            Object target = referenced.status() == 200 ? new Yaml().load(referenced.body()) : null;
            for (String segment : ref.substring(hash + 2).split("/")) {
                target = target instanceof Map<?, ?> map ? map.get(segment) : null;
            }
            if (target == null) {
                broken.add(ref);
            }
        }
        assertThat("references that do not resolve from " + path, broken, is(empty()));
    }

    /**
     * The document needs no token and is never rate-limited.
     */
    @Test
    public void theDocumentIsPublic() {
        HttpTestClient.Response served = HttpTestClient.create(port()).get(path);
        assertThat(served.status(), is(200));
        assertThat(served.header("RateLimit").isPresent(), is(false));
    }

    private Object checkedIn() {
        try {
            return new Yaml().load(Files.readString(document));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SortedSet<String> operations(Object document) {
        SortedSet<String> operations = new TreeSet<>();
        if (document instanceof Map<?, ?> root && root.get("paths") instanceof Map<?, ?> paths) {
            paths.forEach((template, item) -> {
                if (item instanceof Map<?, ?> methods) {
                    methods.keySet().stream()
                            .map(String::valueOf)
                            .filter(METHODS::contains)
                            .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + template));
                }
            });
        }
        return operations;
    }

    private static SortedSet<String> externalRefs(Object node, SortedSet<String> found) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("$ref".equals(key) && value instanceof String ref && !ref.startsWith("#")) {
                    found.add(ref);
                } else {
                    externalRefs(value, found);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(element -> externalRefs(element, found));
        }
        return found;
    }
}
