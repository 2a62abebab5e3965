package io.dharma.testing;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs a {@link RequiresServices} class or method only when its services answer: skips it with one line naming what
 * to start, or fails it when {@value RequiresServices#REQUIRED_PROPERTY} is true.
 */
final class ServicesCondition implements ExecutionCondition {
    private static final Pattern JDBC_HOST = Pattern.compile("^jdbc:postgresql://\\[?([^/:\\]]+)]?(?::(\\d+))?/");
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;
    // System.out and System.err of a test end up in report files (dharma-service-parent sets redirectTestOutputToFile
    // for failsafe), and neither plugin prints skip reasons: the process's own stderr reaches the build's console
    private static final PrintStream CONSOLE = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
                                                               StandardCharsets.UTF_8);

    private final Function<String, @Nullable String> env;
    private final boolean required;

    ServicesCondition() {
        this(System::getenv, Boolean.getBoolean(RequiresServices.REQUIRED_PROPERTY));
    }

    ServicesCondition(Function<String, @Nullable String> env, boolean required) {
        this.env = env;
        this.required = required;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        // the class's annotation is checked once for the class, a method's for that method
        Optional<RequiresServices> annotation = AnnotationSupport.findAnnotation(context.getElement(), RequiresServices.class);
        if (annotation.isEmpty()) {
            return ConditionEvaluationResult.enabled("no services required here");
        }
        String test = context.getTestClass().map(Class::getSimpleName).orElse("")
                + context.getTestMethod().map(method -> "." + method.getName()).orElse("");
        ConditionEvaluationResult result = evaluate(test, List.of(annotation.get().value()));
        if (result.isDisabled()) {
            CONSOLE.println(result.getReason().orElseThrow());
        }
        return result;
    }

    /**
     * Check each service; the first missing one decides.
     *
     * @throws ExtensionConfigurationException if one is missing and the services are required
     */
    ConditionEvaluationResult evaluate(String test, List<RequiresServices.Service> services) {
        for (RequiresServices.Service service : services) {
            Optional<String> missing = missing(service);
            if (missing.isPresent()) {
                if (required) {
                    throw new ExtensionConfigurationException(test + " FAILED: " + missing.get()
                            + " (-D" + RequiresServices.REQUIRED_PROPERTY + "=true requires every test service)");
                }
                return ConditionEvaluationResult.disabled(test + " SKIPPED: " + missing.get() + "; -D"
                        + RequiresServices.REQUIRED_PROPERTY + "=true makes this a failure");
            }
        }
        return ConditionEvaluationResult.enabled("services available: " + services);
    }

    /** What is missing, as advice on what to start; empty when the service is there. */
    Optional<String> missing(RequiresServices.Service service) {
        return switch (service) {
            case POSTGRES -> missingPostgres();
            case REDIS -> reachable("127.0.0.1", 6379) ? Optional.empty()
                    : Optional.of("no Redis at 127.0.0.1:6379 (start redis-server 7 on that port)");
            case REDIS_BINARIES -> onPath("redis-server") && onPath("redis-cli") ? Optional.empty()
                    : Optional.of("no redis-server and redis-cli on the PATH (install Redis 7)");
            case POSTGRES_BINARIES -> postgresBinaries() ? Optional.empty()
                    : Optional.of("no PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin (install the"
                                          + " PostgreSQL server package)");
            case KUBECTL -> onPath("kubectl") ? Optional.empty()
                    : Optional.of("no kubectl on the PATH: Kubernetes manifests not checked (install kubectl)");
            case CHROMIUM -> onPath(HeadlessChromium.EXECUTABLE) ? Optional.empty()
                    : Optional.of("no " + HeadlessChromium.EXECUTABLE + " on the PATH: the API reference page not checked in a"
                                          + " browser (install the Debian package chromium)");
        };
    }

    private Optional<String> missingPostgres() {
        String url = Optional.ofNullable(env.apply(PostgresSchema.URL_VARIABLE)).filter(s -> !s.isBlank())
                .orElse(PostgresSchema.DEFAULT_URL);
        Matcher matcher = JDBC_HOST.matcher(url);
        boolean parsed = matcher.find();
        String host = parsed ? matcher.group(1) : "127.0.0.1";
        int port = parsed && matcher.group(2) != null ? Integer.parseInt(matcher.group(2)) : 5432;
        return reachable(host, port) ? Optional.empty()
                : Optional.of("no PostgreSQL at " + host + ":" + port + " (start one with trust auth for user postgres and a"
                                      + " database test, or point " + PostgresSchema.URL_VARIABLE + " at one)");
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean onPath(String command) {
        return onPath(env.apply("PATH"), command).isPresent();
    }

    /**
     * Where a command is on a PATH.
     *
     * @param path    the PATH variable (may be unset)
     * @param command the command's file name
     * @return the executable in the first folder that has one
     */
    static Optional<Path> onPath(@Nullable String path, String command) {
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static boolean postgresBinaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.anyMatch(version -> Files.isExecutable(version.resolve("bin").resolve("initdb")));
        } catch (IOException e) {
            return false;
        }
    }
}
