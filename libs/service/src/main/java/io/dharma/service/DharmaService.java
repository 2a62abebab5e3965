package io.dharma.service;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import io.dharma.cache.Caches;
import io.dharma.data.Database;
import io.dharma.errors.ErrorsConfig;
import io.dharma.health.HealthConfig;
import io.dharma.health.Probes;
import io.dharma.logging.Logging;
import io.dharma.openapi.OpenApi;
import io.dharma.ratelimit.RateLimitConfig;
import io.dharma.ratelimit.RateLimiting;
import io.dharma.redis.Redis;
import io.dharma.redis.RedisAuth;
import io.dharma.resilience.Downstreams;
import io.dharma.secrets.Secrets;
import io.dharma.security.KeySource;
import io.dharma.security.SecurityConfig;
import io.dharma.security.Tier;
import io.dharma.tracing.Tracing;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpService;

import com.sun.management.UnixOperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * A running Dharma service: web server, request pipeline, probes, metrics, database and graceful shutdown, all from
 * configuration.
 * <pre>{@code
 * DharmaService.builder("blueprint-service")
 *         .api("/api/v1/blueprints", ctx -> new BlueprintService(new JdbcBlueprintRepository(ctx.database())))
 *         .start();
 * }</pre>
 */
public final class DharmaService {
    /** Name of the secret holding the HS256 signing key of bearer tokens (rotated without restart). */
    public static final String JWT_SIGNING_KEY = "jwt-signing-key";
    /** Port of the management socket (probes, metrics) when {@code management.port} is not set. */
    public static final int DEFAULT_MANAGEMENT_PORT = 9080;
    /** Default upper bound of open API connections ({@code server.max-tcp-connections}). */
    static final int MAX_CONNECTIONS = 10_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(DharmaService.class);

    private final ServiceContext context;
    private final ServiceConfig serviceConfig;
    private final WebServer server;
    private final SortedSet<String> routes;

    private DharmaService(ServiceContext context, ServiceConfig serviceConfig, WebServer server, SortedSet<String> routes) {
        this.context = context;
        this.serviceConfig = serviceConfig;
        this.server = server;
        this.routes = routes;
    }

    /**
     * Start building a service.
     *
     * @param name service name; names logs, metrics and the embedded database
     * @return builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * The port the server listens on.
     *
     * @return port
     */
    public int port() {
        return server.port();
    }

    /**
     * The port of the management socket: {@code /health/*} probes and {@code /metrics} ({@code management.port}).
     *
     * @return port
     */
    public int managementPort() {
        return server.port(Pipeline.MANAGEMENT_SOCKET);
    }

    /**
     * Every API operation the service routes, as {@code METHOD /template} (e.g. {@code GET /api/v1/blueprints/{id}}),
     * for contract tests that compare them with the OpenAPI document. The routes of the services registered with
     * {@link Builder#api}; probes, metrics and {@code /openapi} are not API routes, and {@code HEAD} of a {@code GET}
     * route is implied.
     *
     * @return operations, sorted
     */
    public SortedSet<String> routes() {
        return routes;
    }

    /**
     * Shared resources and configuration.
     *
     * @return context
     */
    public ServiceContext context() {
        return context;
    }

    /**
     * Graceful shutdown, as on SIGTERM: readiness turns 503 at once, the server keeps serving for the drain delay,
     * then stops accepting and waits up to the grace period for in-flight requests, then closes the database pool.
     */
    public void shutdown() {
        LOGGER.info("Shutting down: draining for {} before stopping", serviceConfig.drainDelay());
        context.probes().markDraining();
        sleep(serviceConfig.drainDelay());
        stop();
    }

    /**
     * Stop now: no drain delay, in-flight requests still get the grace period.
     */
    public void stop() {
        if (server.isRunning()) {
            server.stop();
        }
        context.close();
        LOGGER.info("Stopped");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Builds and starts a {@link DharmaService}.
     */
    public static final class Builder {
        private final String name;
        private final List<Pipeline.Api> apis = new ArrayList<>();
        private Config config;
        private boolean shutdownHook = true;
        /** What a start that fails part-way must close again (pool, clients, exporter), newest first. */
        private final Deque<Runnable> opened = new ArrayDeque<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Use this configuration instead of {@code Config.create()} (environment, system properties, application.yaml).
         *
         * @param config root configuration
         * @return this
         */
        public Builder config(Config config) {
            this.config = config;
            return this;
        }

        /**
         * Register an API service under a path prefix; it is created once resources (database, probes) exist.
         *
         * @param prefix  path prefix, e.g. {@code /api/v1/blueprints}
         * @param factory creates the service from the context
         * @return this
         */
        public Builder api(String prefix, Function<ServiceContext, HttpService> factory) {
            apis.add(new Pipeline.Api(prefix, factory));
            return this;
        }

        /**
         * Whether SIGTERM triggers {@link DharmaService#shutdown()} (default true; tests that stop the service
         * themselves turn it off).
         *
         * @param shutdownHook whether to register the JVM shutdown hook
         * @return this
         */
        public Builder shutdownHook(boolean shutdownHook) {
            this.shutdownHook = shutdownHook;
            return this;
        }

        /**
         * Build the pipeline, start the server, apply migrations, then mark the service started.
         *
         * @return the running service
         * @throws ServiceConfigException for a value of the wrong type (Helidon's config reports it); every library
         *                                throws its own {@code <Area>ConfigException} for a value it rejects
         */
        public DharmaService start() {
            try {
                return launch();
            } catch (ConfigException e) {
                ServiceConfigException invalid = new ServiceConfigException(
                        name + " cannot start, invalid configuration: " + e.getMessage(), e);
                LOGGER.error(invalid.getMessage());
                closeOpened(invalid);
                throw invalid;
            } catch (RuntimeException e) {
                LOGGER.error("{} cannot start: {}", name, e.getMessage() == null ? e.toString() : e.getMessage());
                closeOpened(e);
                throw e;
            }
        }

        private void closeOpened(RuntimeException failure) {
            while (!opened.isEmpty()) {
                try {
                    opened.pop().run();
                } catch (RuntimeException e) {
                    failure.addSuppressed(e);
                }
            }
        }

        private DharmaService launch() {
            long startNanos = System.nanoTime();
            Config root = config == null ? Config.create() : config;
            ServiceConfig serviceConfig = ServiceConfig.create(root.get("service"), implementationVersion());
            Logging.configure(root.get("logging"), name, serviceConfig.version());
            StandardMeters.bind();
            // the service's META-INF/openapi.yaml, if it has one: served, and enforced on every request; building the
            // validator takes about a second on a cold JVM, so it runs while the rest is set up
            CompletableFuture<Optional<OpenApi>> contract = CompletableFuture.supplyAsync(
                    () -> OpenApi.create(root.get("openapi")),
                    task -> Thread.ofPlatform().name(name + "-openapi").daemon().start(task));
            Tracing tracing = Tracing.create(root.get("tracing"), name, serviceConfig.version());
            opened.push(tracing::close);
            ErrorsConfig errors = ErrorsConfig.create(root.get("errors"));
            Probes probes = Probes.create(HealthConfig.create(root.get("health")));
            Secrets secrets = Secrets.create(root.get("secrets"));
            opened.push(secrets::close);
            probes.add(secrets.readinessCheck());
            Optional<Database> database = root.get("db.enabled").asBoolean().orElse(true)
                    ? Optional.of(database(root.get("db"), name, secrets))
                    : Optional.empty();
            database.ifPresent(db -> {
                opened.push(db::close);
                probes.add(db.readinessCheck());
            });
            // migrations run while the rest is set up and the server starts; readiness waits for them
            CompletableFuture<Void> migrations = database
                    .map(db -> CompletableFuture.runAsync(db::migrate,
                            task -> Thread.ofPlatform().name(name + "-migrations").daemon().start(task)))
                    .orElseGet(() -> CompletableFuture.completedFuture(null));
            // the pool is closed only once the migrations gave up or ended
            opened.push(() -> migrations.exceptionally(failure -> null).join());
            // credentials from the secret store, read for every new connection (rotation without restart)
            RateLimitConfig rateLimit = RateLimitConfig.create(root.get("rate-limit"));
            checkTiers(rateLimit);
            Optional<UnifiedJedis> redis = Redis.client(root.get("redis"), name, secrets::get);
            if (redis.isPresent()) {
                opened.push(() -> redis.get().close());
            }
            // the limiter's own client to the service's Redis authenticates like the shared one
            RedisAuth rateLimitAuth = rateLimit.redisUrl().isEmpty()
                    ? RedisAuth.create(root.get("redis"), secrets::get)
                    : RedisAuth.url();
            RateLimiting rateLimiting = RateLimiting.create(rateLimit.orRedisUrl(Redis.url(root.get("redis"))),
                                                            Optional.empty(), InstantSource.system(), rateLimitAuth);
            opened.push(rateLimiting::close);
            probes.add(rateLimiting.readinessCheck());
            Caches caches = Caches.create(root.get("cache"), redis);
            opened.push(caches::close);
            probes.add(caches.readinessCheck());
            Downstreams downstreams = Downstreams.create(root.get("resilience"));
            downstreams.readinessChecks().forEach(probes::add);
            ServiceContext context = new ServiceContext(name, root, probes, secrets, database, rateLimiting, tracing,
                                                        downstreams, caches, redis);
            opened.clear();
            opened.push(() -> {
                migrations.exceptionally(failure -> null).join();
                context.close();
            });
            SecurityConfig security = SecurityConfig.create(root.get("security"), name);
            KeySource keys = KeySource.create(security.jwt(), () -> secrets.get(JWT_SIGNING_KEY));
            Optional<OpenApi> openapi;
            try {
                openapi = contract.join();
            } catch (CompletionException e) {
                // a broken document: the service does not start
                migrations.exceptionally(failure -> null).join();
                context.close();
                throw unwrap(e);
            }

            Pipeline pipeline = new Pipeline(context, serviceConfig, errors, security, keys, openapi);
            Config management = root.get("management");
            WebServerConfig.Builder server = WebServer.builder()
                    .config(root.get("server"))
                    .shutdownHook(false)
                    .featuresDiscoverServices(false)
                    .shutdownGracePeriod(serviceConfig.gracePeriod())
                    .directHandlers(pipeline.directHandlers())
                    .addFeature(pipeline.observe(root.get("metrics")))
                    .routing(routing -> pipeline.api(routing, apis))
                    .putSocket(Pipeline.MANAGEMENT_SOCKET, socket -> socket
                            .host(management.get("host").asString()
                                          .orElseGet(() -> root.get("server.host").asString().orElse("0.0.0.0")))
                            .port(management.get("port").asInt().orElse(DEFAULT_MANAGEMENT_PORT))
                            .routing(pipeline::management));
            openapi.ifPresent(document -> server.addFeature(document.feature()));
            if (!root.get("server.max-payload-size").exists()) {
                server.maxPayloadSize(errors.maxBodySize());
            }
            if (!root.get("server.max-tcp-connections").exists()) {
                // Helidon 4.1.2 stops a listener for good when accept() fails (e.g. "Too many open files"): past this
                // many connections it waits before accepting instead
                server.maxTcpConnections(defaultMaxConnections());
            }
            WebServer webServer = server.build().start();
            if (!webServer.isRunning()) {
                // e.g. the port is taken: Helidon logs it and returns a stopped server
                migrations.exceptionally(failure -> null).join();
                context.close();
                throw new ServiceStartException(name + " could not start listening on port "
                                                        + root.get("server.port").asInt().orElse(8080));
            }
            DharmaService service = new DharmaService(context, serviceConfig, webServer, pipeline.routes(apis));
            if (shutdownHook) {
                Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown, name + "-shutdown"));
            }
            try {
                migrations.join();
            } catch (CompletionException e) {
                // migrations failed: the service does not start
                service.stop();
                throw unwrap(e);
            }
            opened.clear();
            probes.markStarted();
            LOGGER.info("{} {} started on http://localhost:{} in {} ms; probes and metrics on port {}", name,
                        serviceConfig.version(), webServer.port(), (System.nanoTime() - startNanos) / 1_000_000,
                        webServer.port(Pipeline.MANAGEMENT_SOCKET));
            return service;
        }

        /** The database with its password from the secret store, following rotations of that secret. */
        private static Database database(Config db, String name, Secrets secrets) {
            Database database = Database.create(db, name, secrets::get);
            secrets.onChange(database.passwordSecret(), database::rotatePassword);
            // a rotation between create and onChange would otherwise go unnoticed until the next one
            secrets.get(database.passwordSecret()).ifPresent(database::rotatePassword);
            return database;
        }

        // the limiter takes any tier name; a per-tier capacity is only reachable under a tier a token can carry
        private static void checkTiers(RateLimitConfig rateLimit) {
            for (String tier : rateLimit.tiers()) {
                if (Arrays.stream(Tier.values()).noneMatch(t -> t.name().equals(tier))) {
                    throw new ServiceConfigException("rate-limit.policies.*.per-tier: unknown tier '" + tier
                                                               + "' (tiers: " + Arrays.toString(Tier.values()) + ")");
                }
            }
        }

        private static RuntimeException unwrap(CompletionException e) {
            return e.getCause() instanceof RuntimeException cause ? cause : e;
        }

        /** Three quarters of the file descriptors the process may open (at most {@value #MAX_CONNECTIONS}). */
        static int defaultMaxConnections() {
            long descriptors = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                    ? unix.getMaxFileDescriptorCount()
                    : Long.MAX_VALUE;
            return (int) Math.max(64, Math.min(MAX_CONNECTIONS, descriptors / 4 * 3));
        }

        private static String implementationVersion() {
            Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(
                    frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                            .filter(c -> c != Builder.class && c != DharmaService.class)
                            .findFirst()
                            .orElse(DharmaService.class));
            return Optional.ofNullable(caller.getPackage().getImplementationVersion()).orElse("dev");
        }
    }
}
