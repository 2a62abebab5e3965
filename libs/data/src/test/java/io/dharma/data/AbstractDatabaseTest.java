package io.dharma.data;

import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.metrics.MicrometerBinders;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Metrics;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.dharma.data.Blueprints.INSERT_RESOURCE;
import static io.dharma.data.Blueprints.await;
import static io.dharma.data.Blueprints.config;
import static io.dharma.data.Blueprints.fetchPage;
import static io.dharma.data.Blueprints.insert;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The database contract, run against H2 ({@link DatabaseH2Test}) and the machine's PostgreSQL ({@link DatabasePostgresIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractDatabaseTest {
    static final String SERVICE = "blueprint-service";

    Database db;

    /** {@code db.*} settings of the database under test (url, user, schema, pool name). */
    abstract Map<String, String> settings();

    /** A JDBC URL of this vendor on a port nothing listens on. */
    abstract String unreachableUrl();

    abstract String vendor();

    /** Drop what the test class created, after the database is closed. */
    void cleanUp() throws SQLException {
    }

    @BeforeAll
    void migrate() {
        db = Database.create(config(settings()), SERVICE);
        db.migrate();
    }

    @AfterAll
    void close() throws SQLException {
        db.close();
        cleanUp();
    }

    @Test
    void migrationsCreateTablesOnceForTheVendor() {
        assertThat(db.vendor(), is(vendor()));
        assertThat(count("SELECT COUNT(*) AS n FROM flyway_schema_history WHERE success = TRUE AND version IS NOT NULL"),
                   is(3L));
        db.migrate(); // nothing pending: a no-op
        assertThat(count("SELECT COUNT(*) AS n FROM flyway_schema_history WHERE version IS NOT NULL"), is(3L));
        assertThat(count("SELECT COUNT(*) AS n FROM flyway_schema_history WHERE script = 'V2__indexes.sql'"), is(1L));
    }

    @Test
    void checkConstraintsRejectUnknownStatusAndTooShortName() {
        ApiException badStatus = assertThrows(ApiException.class, () -> insertRow(UUID.randomUUID(), "Good name", "deleted"));
        assertThat(badStatus.code(), is(ErrorCode.VALIDATION_FAILED));
        ApiException shortName = assertThrows(ApiException.class, () -> insertRow(UUID.randomUUID(), "ab", "draft"));
        assertThat(shortName.code(), is(ErrorCode.VALIDATION_FAILED));
        assertThat(shortName.detail(), is(DataErrors.CONSTRAINT_DETAIL));
        ApiException badCount = assertThrows(ApiException.class, () -> {
            UUID id = insertRow(UUID.randomUUID(), "Counted", "draft");
            db.execute(ex -> ex.insert(INSERT_RESOURCE, UUID.randomUUID(), id, 0));
        });
        assertThat(badCount.code(), is(ErrorCode.VALIDATION_FAILED));
    }

    @Test
    void executeInsertsAndReadsWithLowerCaseColumnsDefaultsAndPortableTimestamps() {
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        db.execute(ex -> insert(ex, id, "owner-1", "Web tier", "active", now));
        DbRow row = db.execute(ex -> ex.get("SELECT name, status, version, created_at FROM blueprints WHERE id = ?", id))
                .orElseThrow();
        assertThat(row.column("name").get(String.class), is("Web tier"));
        assertThat(row.column("status").get(String.class), is("active"));
        assertThat(row.column("version").get(Long.class), is(1L));
        assertThat(row.column("created_at").get(Instant.class), is(now.toInstant()));
        assertThat(row.column("created_at").get(OffsetDateTime.class).toInstant(), is(now.toInstant()));
    }

    @Test
    void keysetPaginationWalksEveryRowOnceNewestFirstWithTheIdAsTieBreaker() {
        String owner = "pager-" + UUID.randomUUID();
        OffsetDateTime base = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        List<OffsetDateTime> times = List.of(base, base.plusSeconds(1), base.plusSeconds(1), base.plusSeconds(1),
                                             base.plusSeconds(2));
        db.transaction(tx -> {
            times.forEach(t -> insert(tx, UUID.randomUUID(), owner, "Paged", "draft", t));
            return times.size();
        });
        CursorCodec codec = CursorCodec.create("0123456789abcdef0123456789abcdef");
        List<DbRow> expected = db.execute(ex -> ex.query("SELECT id, created_at FROM blueprints WHERE owner_id = ? "
                                                                 + "ORDER BY created_at DESC, id DESC", owner).toList());

        List<Object> walked = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            PageRequest request = PageRequest.parse(Optional.of("2"), cursor, codec);
            KeysetPage<DbRow> page = KeysetPage.of(fetchPage(db, owner, request), request.limit(), Blueprints::cursorValues, codec);
            page.data().forEach(row -> walked.add(row.column("id").get(UUID.class)));
            cursor = page.page().nextCursor();
            pages++;
        } while (cursor.isPresent());

        assertThat(walked, is(expected.stream().map(row -> (Object) row.column("id").get(UUID.class)).toList()));
        assertThat(pages, is(3));
    }

    @Test
    void transactionCommitsWhenWorkReturns() {
        UUID id = UUID.randomUUID();
        long inserted = db.transaction(tx -> {
            insert(tx, id, "Committed", "draft");
            return tx.insert(INSERT_RESOURCE, UUID.randomUUID(), id, 3);
        });
        assertThat(inserted, is(1L));
        assertThat(count("SELECT COUNT(*) AS n FROM blueprint_resources WHERE blueprint_id = ?", id),
                   is(1L));
    }

    @Test
    void transactionRollsBackAndRethrowsWhenWorkThrows() {
        UUID id = UUID.randomUUID();
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> db.transaction(tx -> {
            insert(tx, id, "Rolled back", "draft");
            throw boom;
        }));
        assertThat(thrown, sameInstance(boom));
        assertThat(countBlueprint(id), is(0L));
    }

    @Test
    void transactionRollsBackEarlierStatementsWhenOneViolatesUniqueKey() {
        UUID first = UUID.randomUUID();
        UUID duplicate = UUID.randomUUID();
        insertRow(duplicate, "Existing", "draft");
        ApiException conflict = assertThrows(ApiException.class, () -> db.transaction(tx -> {
            insert(tx, first, "First", "draft");
            return insert(tx, duplicate, "Duplicate", "draft");
        }));
        assertThat(conflict.code(), is(ErrorCode.CONFLICT));
        assertThat(countBlueprint(first), is(0L));
    }

    @Test
    void uniqueViolationBecomesConflictWithoutSqlInTheDetail() {
        UUID id = insertRow(UUID.randomUUID(), "Unique", "draft");
        ApiException viaExecute = assertThrows(ApiException.class, () -> insertRow(id, "Unique again", "draft"));
        assertThat(viaExecute.code(), is(ErrorCode.CONFLICT));
        assertThat(viaExecute.detail(), is(DataErrors.DUPLICATE_DETAIL));
        assertThat(viaExecute.getCause(), instanceOf(DbClientException.class));

        DbClientException raw = assertThrows(DbClientException.class, () -> insert(db.client().execute(), id, "Raw", "draft"));
        ApiException translated = DataErrors.translate(raw).orElseThrow();
        assertThat(translated.code(), is(ErrorCode.CONFLICT));
        assertThat(translated.getCause(), sameInstance(raw));
    }

    @Test
    void foreignKeyViolationBecomesConflict() {
        ApiException missingParent = assertThrows(ApiException.class, () -> db.execute(
                ex -> ex.insert(INSERT_RESOURCE, UUID.randomUUID(), UUID.randomUUID(), 1)));
        assertThat(missingParent.code(), is(ErrorCode.CONFLICT));
        assertThat(missingParent.detail(), is(DataErrors.REFERENCE_DETAIL));
    }

    @Test
    void concurrencyLimitAnswersUnavailableWhenEveryPermitIsHeldPastTheAcquireTimeout() throws Exception {
        try (Database limited = other(Map.of("db.max-concurrency", "1", "db.acquire-timeout", "PT0.1S"))) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofVirtual().start(() -> limited.execute(ex -> {
                holding.countDown();
                await(release);
                return 0;
            }));
            assertThat(holding.await(5, TimeUnit.SECONDS), is(true));
            ApiException busy = assertThrows(ApiException.class, () -> limited.execute(ex -> 1));
            assertThat(busy.code(), is(ErrorCode.SERVICE_UNAVAILABLE));
            assertThat(busy.detail(), is(Database.BUSY_DETAIL));
            assertThat(busy.retryAfter(), is(Optional.of("1")));

            release.countDown();
            holder.join();
            assertThat(limited.execute(ex -> 2), is(2));
        }
    }

    @Test
    void poolExhaustionAnswersUnavailableNotAnInternalError() throws Exception {
        try (Database small = other(Map.of("db.pool.max-size", "1", "db.pool.min-idle", "0", "db.max-concurrency", "4",
                                           "db.pool.connection-timeout", "PT0.25S"))) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofVirtual().start(() -> small.transaction(tx -> {
                tx.query("SELECT 1 AS one").toList(); // the transaction now holds the only connection
                holding.countDown();
                await(release);
                return 0;
            }));
            assertThat(holding.await(5, TimeUnit.SECONDS), is(true));
            ApiException exhausted = assertThrows(ApiException.class,
                                                  () -> small.execute(ex -> ex.query("SELECT 1 AS one").toList()));
            assertThat(exhausted.code(), is(ErrorCode.SERVICE_UNAVAILABLE));
            assertThat(exhausted.retryAfter(), is(Optional.of("2")));

            release.countDown();
            holder.join();
        }
    }

    @Test
    void unreachableDatabaseAnswersUnavailableAndIsNotReady() {
        Map<String, String> settings = Map.of("db.url", unreachableUrl(), "db.user", "postgres",
                                              "db.pool.connection-timeout", "PT0.25S", "db.pool.name", "unreachable");
        try (Database down = Database.create(config(settings), SERVICE)) {
            ApiException unavailable = assertThrows(ApiException.class, () -> down.execute(ex -> ex.query("SELECT 1")
                    .toList()));
            assertThat(unavailable.code(), is(ErrorCode.SERVICE_UNAVAILABLE));
            assertThat(unavailable.detail(), is(DataErrors.UNAVAILABLE_DETAIL));
            assertThat(unavailable.retryAfter(), is(Optional.of("2")));

            HealthCheckResponse readiness = down.readinessCheck().call();
            assertThat(readiness.status(), is(HealthCheckResponse.Status.DOWN));
            assertThat(readiness.details(), hasEntry("vendor", vendor()));
            assertThat(readiness.details(), hasKey("error"));

            assertThrows(DataException.class, down::migrate);
        }
    }

    @Test
    void readinessIsUpWithPoolDetailsWhenTheDatabaseAnswers() {
        HealthCheckResponse readiness = db.readinessCheck().call();
        assertThat(db.readinessCheck().type(), is(HealthCheckType.READINESS));
        assertThat(readiness.status(), is(HealthCheckResponse.Status.UP));
        assertThat(readiness.details(), hasEntry("vendor", vendor()));
        assertThat(readiness.details(), hasKey("active"));
        assertThat(readiness.details(), hasKey("idle"));
        assertThat(readiness.details(), hasKey("waiting"));
    }

    @Test
    void namedStatementsComeFromTheStatementsNode() {
        try (Database named = other(Map.of("db.statements.count-resources", "SELECT COUNT(*) AS n FROM blueprint_resources"))) {
            long resources = named.execute(ex -> ex.namedGet("count-resources")).orElseThrow().column("n").get(Number.class)
                    .longValue();
            assertThat(resources, is(count("SELECT COUNT(*) AS n FROM blueprint_resources")));
        }
    }

    @Test
    void poolMetersAreHikariCpsOwnTaggedWithThePoolNameAndRemovedOnClose() {
        // HikariCP's tracker binds to the registry /metrics publishes; our own meters go through Helidon's
        io.micrometer.core.instrument.MeterRegistry binders = MicrometerBinders.registry();
        io.micrometer.core.instrument.MeterRegistry registry = Metrics.globalRegistry()
                .unwrap(io.micrometer.core.instrument.MeterRegistry.class);
        try (Database gauged = other(Map.of("db.pool.name", "gauged", "db.pool.max-size", "3"))) {
            assertThat(binders.get("hikaricp.connections.max").tag("pool", "gauged").gauge().value(), is(3.0));
            gauged.execute(ex -> ex.query("SELECT 1 AS one").toList());
            assertThat(binders.get("hikaricp.connections.acquire").tag("pool", "gauged").timer().count() >= 1,
                       is(true));
            assertThat(registry.find("db.concurrency.queued").tag("pool", "gauged").gauge() != null, is(true));
        }
        assertThat(binders.find("hikaricp.connections.max").tag("pool", "gauged").gauge() == null, is(true));
        assertThat(registry.find("db.concurrency.queued").tag("pool", "gauged").gauge() == null, is(true));
    }


    /** Another Database over the same database, without migrations; settings override the class settings. */
    Database other(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(settings());
        settings.put("db.migrations.enabled", "false");
        settings.put("db.pool.name", "other-" + UUID.randomUUID());
        settings.putAll(overrides);
        return Database.create(config(settings), SERVICE);
    }

    UUID insertRow(UUID id, String name, String status) {
        db.execute(ex -> Blueprints.insert(ex, id, name, status));
        return id;
    }

    long countBlueprint(UUID id) {
        return count("SELECT COUNT(*) AS n FROM blueprints WHERE id = ?", id);
    }

    long count(String sql, Object... params) {
        return Blueprints.count(db, sql, params);
    }
}
