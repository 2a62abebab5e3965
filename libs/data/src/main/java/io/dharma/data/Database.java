package io.dharma.data;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.dharma.errors.ApiException;
import io.dharma.metrics.MicrometerBinders;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbStatements;
import io.helidon.dbclient.DbTransaction;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.helidon.health.HealthCheck;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;

/**
 * A service's relational database: one HikariCP pool shared by a Helidon {@link DbClient} and Flyway, a fair
 * concurrency limit in front of it, SQL failures translated by {@link DataErrors}, a readiness check and pool metrics.
 * <p>
 * Configured from the {@code db} node; every key can be overridden from the environment ({@code DB_URL},
 * {@code DB_POOL_MAX_dash_SIZE}, ...):
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>url</td><td>{@code jdbc:h2:mem:<service>;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;
 *     DEFAULT_NULL_ORDERING=HIGH}</td><td>JDBC URL; PostgreSQL and H2 are supported</td></tr>
 * <tr><td>user</td><td>none</td><td>database role</td></tr>
 * <tr><td>password-secret</td><td>{@code db-password}</td><td>name of the secret holding the password, looked up in the
 *     secret store given to {@link #create(Config, String, Function)}; rotated with {@link #rotatePassword(String)}</td></tr>
 * <tr><td>password</td><td>none</td><td>plain password, used only when the secret store has no {@code password-secret}
 *     (embedded and development set-ups)</td></tr>
 * <tr><td>schema</td><td>none</td><td>schema used by every connection and by Flyway; created if missing</td></tr>
 * <tr><td>pool.max-size</td><td>2 &times; processors</td><td>pool size; at least 2 with migrations enabled</td></tr>
 * <tr><td>pool.min-idle</td><td>pool.max-size</td><td>idle connections kept open</td></tr>
 * <tr><td>pool.connection-timeout</td><td>PT2S</td><td>wait for a pooled connection (at least PT0.25S)</td></tr>
 * <tr><td>pool.name</td><td>service name</td><td>pool name, the {@code pool} tag of the metrics</td></tr>
 * <tr><td>max-concurrency</td><td>pool.max-size</td><td>calls of {@link #execute}/{@link #transaction} at once</td></tr>
 * <tr><td>acquire-timeout</td><td>PT1S</td><td>wait for a concurrency permit, then 503</td></tr>
 * <tr><td>health.timeout</td><td>PT1S</td><td>readiness probe deadline</td></tr>
 * <tr><td>migrations.enabled</td><td>true</td><td>whether {@link #migrate()} runs Flyway</td></tr>
 * <tr><td>migrations.locations</td><td>{@code classpath:db/<service>/common,classpath:db/<service>/{vendor}}</td>
 *     <td>list or comma-separated; {@code {vendor}} becomes {@link #vendor()}, {@code {service}} the service name</td></tr>
 * <tr><td>statements</td><td>none</td><td>named statements of the {@link DbClient}</td></tr>
 * </table>
 * On PostgreSQL the driver runs with {@code stringtype=unspecified} unless the URL sets {@code stringtype}: DbClient
 * binds {@link java.util.UUID} parameters as strings, and this lets them match {@code uuid} columns as they do on H2.
 * <p>
 * A rotated password ({@link #rotatePassword(String)}) takes effect without a restart: new connections use it, and
 * every open connection is retired gracefully (idle ones at once, busy ones when they are returned), so no request
 * fails while the pool renews itself. Rotation needs {@code user} to be set.
 * <p>
 * Creating a Database does not connect: a service starts while its database is down, reports not ready, and answers
 * 503 until it is back. Meters (tag {@code pool}): {@code db.pool.active}, {@code db.pool.idle},
 * {@code db.pool.pending}, {@code db.pool.max}, {@code db.concurrency.queued}, {@code db.concurrency.rejected}.
 */
public final class Database implements AutoCloseable {
    /** Detail of the 503 answered when no concurrency permit is free within {@code db.acquire-timeout}. */
    public static final String BUSY_DETAIL = "The database is busy";

    private static final System.Logger LOGGER = System.getLogger(Database.class.getName());

    // configuration
    private final DatabaseConfig config;
    // runtime: the one pool, the client over it, and the limit in front of both
    private final HikariDataSource dataSource;
    private final DbClient client;
    private final Semaphore permits;
    private final PoolMetrics metrics;
    private final ReadinessCheck readiness;
    private final Object rotation = new Object();

    private Database(DatabaseConfig config, DbStatements statements, Optional<String> password) {
        this.config = config;
        this.dataSource = new HikariDataSource(hikariConfig(config, password));
        this.client = JdbcClientBuilder.create()
                .connectionPool(new DataSourcePool(dataSource, "jdbc:" + config.vendor()))
                .statements(statements)
                .mapperManager(TimeMappers.create())
                .addService(new StatementSpans())
                .build();
        this.permits = new Semaphore(config.maxConcurrency(), true);
        this.metrics = PoolMetrics.register(config.poolName(), permits);
        this.readiness = new ReadinessCheck(dataSource, permits, config.vendor(), config.healthTimeout());
    }

    /**
     * Create the database of a service from its {@code db} config node. Does not connect.
     *
     * @param db          the {@code db} node (may be missing: embedded H2)
     * @param serviceName service name, e.g. {@code blueprint-service}; names the H2 database and migration folders
     * @return database; close it on shutdown
     * @throws DataException if the configuration is invalid
     */
    public static Database create(Config db, String serviceName) {
        return create(db, serviceName, name -> Optional.empty());
    }

    /**
     * Create the database of a service, with its password from a secret store: the secret named by
     * {@code db.password-secret} (default {@code db-password}) if the store has it, else {@code db.password}. Does not
     * connect. To follow rotations, pass each new value of that secret to {@link #rotatePassword(String)}:
     * <pre>{@code
     * Database database = Database.create(config.get("db"), "blueprint-service", secrets::get);
     * secrets.onChange(database.passwordSecret(), database::rotatePassword);
     * }</pre>
     *
     * @param db          the {@code db} node (may be missing: embedded H2)
     * @param serviceName service name, e.g. {@code blueprint-service}; names the H2 database and migration folders
     * @param secrets     current value of a secret by name, empty when the store does not have it
     * @return database; close it on shutdown
     * @throws DataException if the configuration is invalid
     */
    public static Database create(Config db, String serviceName, Function<String, Optional<String>> secrets) {
        DatabaseConfig config = DatabaseConfig.create(db, serviceName);
        Optional<String> password = secrets.apply(config.passwordSecret()).or(config::password);
        Database database = new Database(config, DbStatements.create(db.get("statements")), password);
        LOGGER.log(System.Logger.Level.INFO, () -> "Database " + database.config);
        return database;
    }

    /**
     * Name of the secret holding the password ({@code db.password-secret}).
     *
     * @return secret name, {@code db-password} by default
     */
    public String passwordSecret() {
        return config.passwordSecret();
    }

    /**
     * Use a new password without a restart: connections opened from now on use it, and every open connection is
     * retired gracefully (HikariCP soft eviction: idle ones are closed now, busy ones when returned to the pool).
     * Requests keep being served meanwhile. A password equal to the current one changes nothing. Rotate in this order:
     * give the role the new password ({@code ALTER ROLE ... PASSWORD}), then update the secret; sessions opened with
     * the old password stay valid on PostgreSQL until they are retired.
     *
     * @param password the new password
     */
    public void rotatePassword(String password) {
        synchronized (rotation) {
            if (password.equals(dataSource.getPassword())) {
                return;
            }
            if (config.user().isEmpty()) {
                LOGGER.log(System.Logger.Level.WARNING, "Database password changed, but db.user is not set: "
                        + "new connections keep the password of the JDBC URL");
            }
            dataSource.getHikariConfigMXBean().setPassword(password);
            HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
            int open = 0;
            if (pool != null) {
                open = pool.getTotalConnections();
                pool.softEvictConnections();
            }
            int retired = open;
            LOGGER.log(System.Logger.Level.INFO, () -> "Database password rotated (secret " + config.passwordSecret()
                    + "): new connections use it, " + retired + " open connection(s) retire");
        }
    }

    /**
     * The DbClient over the pool. Calls made on it directly bypass the concurrency limit and the error translation;
     * prefer {@link #execute} and {@link #transaction}.
     *
     * @return client
     */
    public DbClient client() {
        return client;
    }

    /**
     * The vendor, which is also the name of the vendor migration folder.
     *
     * @return {@code postgresql} or {@code h2} (for another JDBC URL: its sub-protocol)
     */
    public String vendor() {
        return config.vendor();
    }

    /**
     * Create the configured schema if missing, then apply pending Flyway migrations (unless
     * {@code db.migrations.enabled} is false). Call once at startup, before serving.
     *
     * @throws DataException if the database cannot be reached or a migration fails
     */
    public void migrate() {
        try {
            config.schema().ifPresent(this::createSchema);
            if (!config.migrationsEnabled()) {
                LOGGER.log(System.Logger.Level.INFO, "Database migrations are disabled (db.migrations.enabled=false)");
                return;
            }
            FluentConfiguration flyway = Flyway.configure(Database.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(config.migrationLocations().toArray(String[]::new));
            config.schema().ifPresent(schema -> flyway.schemas(schema).defaultSchema(schema));
            MigrateResult result = flyway.load().migrate();
            LOGGER.log(System.Logger.Level.INFO, () -> "Database migrated: " + result.migrationsExecuted
                    + " migration(s) applied, schema version " + result.targetSchemaVersion);
        } catch (RuntimeException e) {
            throw new DataMigrationException("Database migration of " + config.serviceName() + " failed", e);
        }
    }

    /**
     * Run work on the database under a concurrency permit. Each statement takes its own pooled connection (auto-commit).
     * Consume query streams inside {@code work} (e.g. {@code .toList()}): the permit is released when it returns. Do not
     * nest calls of {@code execute} or {@code transaction}: each takes a permit of its own.
     *
     * @param work statements to run
     * @param <T>  result type ({@code Void} and {@code null} for work without a result)
     * @return what {@code work} returned
     * @throws ApiException 503 when no permit is free within {@code db.acquire-timeout}; the {@link DataErrors}
     *                      translation of a SQL failure; other exceptions of {@code work} unchanged
     */
    public <T extends @Nullable Object> T execute(Function<DbExecute, T> work) {
        acquire();
        try {
            return work.apply(client.execute());
        } catch (RuntimeException e) {
            throw translate(e);
        } finally {
            permits.release();
        }
    }

    /**
     * Run work in one transaction under a concurrency permit held until it ends: committed when {@code work} returns,
     * rolled back when it throws anything. Do not call {@code commit()} or {@code rollback()} in {@code work}, and do
     * not nest calls of {@code execute} or {@code transaction} in it.
     *
     * @param work statements to run in the transaction
     * @param <T>  result type
     * @return what {@code work} returned
     * @throws ApiException 503 when no permit is free within {@code db.acquire-timeout}; the {@link DataErrors}
     *                      translation of a SQL failure (also of a failed commit); other exceptions of {@code work}
     *                      unchanged
     */
    public <T extends @Nullable Object> T transaction(Function<DbTransaction, T> work) {
        acquire();
        try {
            DbTransaction tx = client.transaction();
            T result;
            try {
                result = work.apply(tx);
            } catch (RuntimeException | Error e) {
                rollback(tx, e);
                throw e;
            }
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            throw translate(e);
        } finally {
            permits.release();
        }
    }

    /**
     * The readiness check: {@code SELECT 1} within {@code db.health.timeout}, under a concurrency permit like every
     * call of {@link #execute} (no permit within the timeout: DOWN); details {@code vendor}, {@code active},
     * {@code idle}, {@code waiting} (pool) and {@code error} when down.
     *
     * @return check of type READINESS named {@code db}
     */
    public HealthCheck readinessCheck() {
        return readiness;
    }

    /**
     * Close the pool and remove the meters. Idempotent.
     */
    @Override
    public void close() {
        metrics.remove();
        dataSource.close();
    }

    private void acquire() {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(config.acquireTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            metrics.rejected();
            throw ApiException.unavailable(BUSY_DETAIL, Duration.ofSeconds(1));
        }
    }

    private static RuntimeException translate(RuntimeException e) {
        return DataErrors.translate(e).<RuntimeException>map(api -> api).orElse(e);
    }

    private static void rollback(DbTransaction tx, Throwable failure) {
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            LOGGER.log(System.Logger.Level.DEBUG, "Rollback failed", e);
        }
    }

    private void createSchema(String schema) {
        try (Connection connection = dataSource.getConnection()) {
            // look first: PostgreSQL checks the CREATE privilege even for CREATE SCHEMA IF NOT EXISTS
            try (ResultSet schemas = connection.getMetaData().getSchemas(null, schema)) {
                while (schemas.next()) {
                    if (schema.equals(schemas.getString("TABLE_SCHEM"))) {
                        return;
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                // the name is validated as [a-z_][a-z0-9_]* by DatabaseConfig
                statement.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
            }
        } catch (SQLException e) {
            throw new DataMigrationException("Cannot create schema " + schema, e);
        }
    }

    private static HikariConfig hikariConfig(DatabaseConfig config, Optional<String> password) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        config.user().ifPresent(hikari::setUsername);
        password.ifPresent(hikari::setPassword);
        config.schema().ifPresent(hikari::setSchema);
        hikari.setPoolName(config.poolName());
        // HikariCP's own meters (hikaricp_connections_active/idle/pending/max, _timeout_total, _acquire_seconds ...,
        // tag pool), removed by the pool when it closes
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(MicrometerBinders.registry()));
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setMinimumIdle(config.minIdle());
        hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
        hikari.setValidationTimeout(Math.min(config.connectionTimeout().toMillis(), 1000));
        // do not connect while starting: a service whose database is down starts, is not ready, and answers 503
        hikari.setInitializationFailTimeout(-1);
        if (config.vendor().equals("postgresql") && !config.url().contains("stringtype=")) {
            // DbClient binds UUID (and any String) with setString; "unspecified" lets PostgreSQL infer the column type,
            // so "WHERE id = ?" with a UUID works as on H2 instead of failing with "uuid = character varying"
            hikari.addDataSourceProperty("stringtype", "unspecified");
        }
        if (config.vendor().equals("postgresql") && !config.url().contains("options=")) {
            // server-side prepared statements switch to generic plans after a few executions; for list queries whose
            // best plan depends on the filter values that was up to 47x slower (bench/pagination.sh)
            hikari.addDataSourceProperty("options", "-c plan_cache_mode=force_custom_plan");
        }
        return hikari;
    }
}
