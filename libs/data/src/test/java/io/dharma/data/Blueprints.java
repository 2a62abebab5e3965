package io.dharma.data;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * Fixtures of the database tests: config from a map, rows of the blueprint-service schema, the keyset list query.
 * UUIDs are bound as {@link UUID} objects without casts: that they match uuid columns on PostgreSQL is part of the contract.
 */
final class Blueprints {
    static final String INSERT_BLUEPRINT = "INSERT INTO blueprints (id, owner_id, name, status, target_cloud, "
            + "created_at, updated_at) VALUES (:id, :owner, :name, :status, :cloud, :now, :now)";
    static final String INSERT_RESOURCE = "INSERT INTO blueprint_resources (id, blueprint_id, type, size, count, "
            + "region) VALUES (?, ?, 'vm', 'small', ?, 'eu-west-1')";

    private Blueprints() {
    }

    static Config config(Map<String, String> settings) {
        return Config.just(ConfigSources.create(settings)).get("db");
    }

    static UUID insert(DbExecute ex, UUID id, String name, String status) {
        return insert(ex, id, "owner-1", name, status, OffsetDateTime.now(ZoneOffset.UTC));
    }

    static UUID insert(DbExecute ex, UUID id, String owner, String name, String status, OffsetDateTime now) {
        ex.createInsert(INSERT_BLUEPRINT)
                .params(Map.of("id", id, "owner", owner, "name", name, "status", status, "cloud", "aws",
                               "now", now))
                .execute();
        return id;
    }

    static long count(Database db, String sql, Object... params) {
        return db.execute(ex -> ex.get(sql, params)).orElseThrow().column("n").get(Number.class).longValue();
    }

    /** The owner's blueprints, newest first: the first page, or the page after the request's cursor. */
    static List<DbRow> fetchPage(Database db, String owner, PageRequest request) {
        String select = "SELECT id, created_at FROM blueprints WHERE owner_id = :owner ";
        String order = " ORDER BY created_at DESC, id DESC LIMIT :limit";
        Map<String, Object> params = new HashMap<>(Map.of("owner", owner, "limit", request.fetchSize()));
        String sql = request.after().map(after -> {
            params.put("createdAt", Instant.EPOCH.plus(Long.parseLong(after.value(0)), ChronoUnit.MICROS)
                    .atOffset(ZoneOffset.UTC));
            params.put("id", UUID.fromString(after.value(1)));
            return select + "AND (created_at, id) < (:createdAt, :id)" + order;
        }).orElse(select + order);
        return db.execute(ex -> ex.createQuery(sql).params(params).execute().toList());
    }

    /** Cursor values of a row: created_at in epoch microseconds (the column precision) and the id. */
    static List<String> cursorValues(DbRow row) {
        Instant createdAt = row.column("created_at").get(Instant.class);
        return List.of(Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, createdAt)),
                       row.column("id").get(UUID.class).toString());
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
