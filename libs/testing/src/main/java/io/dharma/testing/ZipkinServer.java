package io.dharma.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

/**
 * A real Zipkin server ({@code io.zipkin:zipkin-server:3.6.1}, classifier {@code exec}) in a child process on a free
 * loopback port, with in-memory storage: services export spans to {@link #spansEndpoint()}, tests read traces back
 * through Zipkin's query API.
 * <p>
 * The jar is found at the system property {@value #JAR_PROPERTY} (a module's failsafe configuration sets it to the copy
 * that {@code maven-dependency-plugin} makes), else in the local Maven repository.
 */
public final class ZipkinServer implements AutoCloseable {
    /** System property with the path of the Zipkin server jar. */
    public static final String JAR_PROPERTY = "zipkin.jar";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final ServiceProcess process;
    private final HttpTestClient client;

    private ZipkinServer(ServiceProcess process) {
        this.process = process;
        this.client = HttpTestClient.create(process.port());
    }

    /**
     * Start Zipkin and wait until {@code /health} answers (about 15 s).
     *
     * @return the running server
     */
    public static ZipkinServer start() {
        Path jar = Optional.ofNullable(System.getProperty(JAR_PROPERTY)).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "zipkin",
                                         "zipkin-server", "3.6.1", "zipkin-server-3.6.1-exec.jar"));
        return new ZipkinServer(ServiceProcess.start(jar, Map.of("STORAGE_TYPE", "mem", "SELF_TRACING_ENABLED", "false"),
                                                     "/health", START_TIMEOUT));
    }

    /**
     * Where services send spans (Zipkin v2 JSON).
     *
     * @return e.g. {@code http://127.0.0.1:40123/api/v2/spans}
     */
    public String spansEndpoint() {
        return "http://127.0.0.1:" + process.port() + "/api/v2/spans";
    }

    /**
     * The traces that have a span of the service, newest first; each trace is its list of spans.
     *
     * @param serviceName service name
     * @return traces
     */
    public List<JsonArray> traces(String serviceName) {
        HttpTestClient.Response response = client.get("/api/v2/traces?limit=100&serviceName=" + serviceName);
        if (response.status() != 200) {
            throw new IllegalStateException("Zipkin answered " + response.status() + ": " + response.body());
        }
        return response.structure().asJsonArray().getValuesAs(JsonArray.class);
    }

    /**
     * Poll {@link #traces} until one matches (spans arrive after the exporters' batch delay).
     *
     * @param serviceName service name
     * @param wanted      what the trace must satisfy
     * @param timeout     longest wait
     * @return the first matching trace, or empty
     */
    public Optional<JsonArray> awaitTrace(String serviceName, Predicate<JsonArray> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            Optional<JsonArray> found = traces(serviceName).stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /**
     * The spans of a trace that belong to a service.
     *
     * @param trace       spans of one trace
     * @param serviceName service name
     * @return its spans
     */
    public static List<JsonObject> spansOf(JsonArray trace, String serviceName) {
        return trace.getValuesAs(JsonObject.class).stream()
                .filter(span -> span.containsKey("localEndpoint")
                        && serviceName.equals(span.getJsonObject("localEndpoint").getString("serviceName", "")))
                .toList();
    }

    @Override
    public void close() {
        process.close();
    }
}
