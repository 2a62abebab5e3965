package io.dharma.health;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.http.HttpService;

/**
 * The service's probes and their checks, plus the lifecycle flags the probes report: started (after migrations and
 * warm-up) and draining (after SIGTERM, so load balancers stop sending traffic before the server stops).
 * <p>
 * A probe's checks run at most once per {@code health.cache-ttl} (callers in between get the same results, callers
 * during an evaluation wait for it), so probe traffic cannot multiply work on the database, Redis or the JVM; the
 * lifecycle flags are read on every call. A check turning DOWN is logged with its details and error message, and
 * turning UP again is logged too; the probe body carries details only with {@code health.details: true}.
 */
public final class Probes {
    private static final System.Logger LOGGER = System.getLogger(Probes.class.getName());

    private final HealthConfig config;
    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    // checks run on virtual threads so a hanging dependency costs no platform thread
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<HealthCheckType, Snapshot> snapshots = new EnumMap<>(HealthCheckType.class);
    private final Map<String, Boolean> lastUp = new ConcurrentHashMap<>();
    private volatile boolean started;
    private volatile boolean draining;

    private Probes(HealthConfig config, InstantSource clock) {
        this.config = config;
        checks.add(new DeadlockCheck());
        for (HealthCheckType type : HealthCheckType.values()) {
            snapshots.put(type, new Snapshot(() -> evaluate(type), clock, config.cacheTtl()));
        }
    }

    /**
     * Create probes with the built-in liveness check (thread deadlocks).
     *
     * @param config health configuration
     * @return probes
     */
    public static Probes create(HealthConfig config) {
        return create(config, InstantSource.system());
    }

    /**
     * Create probes with the built-in liveness check (thread deadlocks), on a clock (for {@code health.cache-ttl}).
     *
     * @param config health configuration
     * @param clock  clock
     * @return probes
     */
    public static Probes create(HealthConfig config, InstantSource clock) {
        return new Probes(config, clock);
    }

    /**
     * Add a check; its {@link HealthCheck#type()} decides the probe it belongs to.
     *
     * @param check check to add
     * @return this
     */
    public Probes add(HealthCheck check) {
        checks.add(check);
        return this;
    }

    /** Mark startup as finished (migrations applied, warm-up done): started and ready may turn UP. */
    public void markStarted() {
        started = true;
    }

    /** Mark the service as draining: readiness answers 503 from now on, liveness stays UP. */
    public void markDraining() {
        draining = true;
    }

    /**
     * Whether the service is draining.
     *
     * @return true after {@link #markDraining()}
     */
    public boolean draining() {
        return draining;
    }

    /**
     * The HTTP service serving the three probes; register it at {@link HealthConfig#path()}.
     *
     * @return http service
     */
    public HttpService httpService() {
        return new ProbeService(this);
    }

    /**
     * Configuration of these probes.
     *
     * @return configuration
     */
    public HealthConfig config() {
        return config;
    }

    List<CheckResult> run(HealthCheckType type) {
        List<CheckResult> results = new ArrayList<>();
        if (type == HealthCheckType.READINESS) {
            results.add(flag("startup", started, "startup has not finished"));
            results.add(flag("shutdown", !draining, "the service is shutting down"));
        } else if (type == HealthCheckType.STARTUP) {
            results.add(flag("startup", started, "startup has not finished"));
        }
        results.addAll(snapshots.get(type).get());
        return results;
    }

    private List<CheckResult> evaluate(HealthCheckType type) {
        List<CheckResult> results = new ArrayList<>();
        List<HealthCheck> selected = checks.stream().filter(c -> c.type() == type).toList();
        long deadline = System.nanoTime() + config.timeout().toNanos();
        List<Future<CheckResult>> futures = selected.stream().map(c -> executor.submit(() -> call(c))).toList();
        for (int i = 0; i < futures.size(); i++) {
            results.add(await(selected.get(i).name(), futures.get(i), deadline));
        }
        results.forEach(this::logChange);
        return results;
    }

    private void logChange(CheckResult result) {
        Boolean before = lastUp.put(result.name(), result.up());
        if (!result.up() && !Boolean.FALSE.equals(before)) {
            LOGGER.log(System.Logger.Level.WARNING, () -> "Health check " + result.name() + " is DOWN " + result.details()
                    + (result.failure().isEmpty() ? "" : ": " + result.failure()));
        } else if (result.up() && Boolean.FALSE.equals(before)) {
            LOGGER.log(System.Logger.Level.INFO, () -> "Health check " + result.name() + " is UP again");
        }
    }

    private CheckResult await(String name, Future<CheckResult> future, long deadline) {
        long start = System.nanoTime();
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new CheckResult(name, false, config.timeout(),
                                   Map.of("error", "timed out after " + config.timeout().toMillis() + " ms"), "");
        } catch (ExecutionException e) {
            return new CheckResult(name, false, Duration.ofNanos(System.nanoTime() - start),
                                   Map.of("error", e.getCause().getClass().getSimpleName()), e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CheckResult(name, false, Duration.ZERO, Map.of("error", "interrupted"), "");
        }
    }

    private static CheckResult call(HealthCheck check) {
        long start = System.nanoTime();
        Map<String, String> details = new LinkedHashMap<>();
        String failure = "";
        boolean up;
        try {
            HealthCheckResponse response = check.call();
            response.details().forEach((k, v) -> details.put(k, String.valueOf(v)));
            up = response.status() == HealthCheckResponse.Status.UP;
        } catch (RuntimeException e) {
            // the message may name hosts or secrets: the log gets it, the probe body only the exception type
            LOGGER.log(System.Logger.Level.DEBUG, () -> "Health check " + check.name() + " failed", e);
            details.put("error", e.getClass().getSimpleName());
            failure = e.toString();
            up = false;
        }
        return new CheckResult(check.name(), up, Duration.ofNanos(System.nanoTime() - start), details, failure);
    }

    private static CheckResult flag(String name, boolean up, String reason) {
        return new CheckResult(name, up, Duration.ZERO, up ? Map.of() : Map.of("reason", reason), "");
    }

    /** Liveness must not touch dependencies; a deadlock is the one thing a restart fixes. */
    private static final class DeadlockCheck implements HealthCheck {
        @Override
        public HealthCheckType type() {
            return HealthCheckType.LIVENESS;
        }

        @Override
        public String name() {
            return "deadlock";
        }

        @Override
        public HealthCheckResponse call() {
            long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            return HealthCheckResponse.builder()
                    .status(deadlocked == null)
                    .detail("deadlockedThreads", deadlocked == null ? 0 : deadlocked.length)
                    .build();
        }
    }
}
