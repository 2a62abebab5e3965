package io.dharma.services.blueprint;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.dharma.data.Cursor;
import io.dharma.data.Database;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * {@link BlueprintRepository} on the shared {@link Database} (H2 or PostgreSQL; only the {@code q} search differs).
 * On PostgreSQL {@code q} is full-text search ({@code simple} configuration: every word of {@code q} is a word of the
 * name, case-insensitive, punctuation ignored); on H2 it is a case-insensitive substring of the name, taken literally
 * ({@code %}, {@code _} and {@code \} are escaped, never wildcards). docs/api.md describes both.
 */
final class JdbcBlueprintRepository implements BlueprintRepository {
    private static final String COLUMNS =
            "id, owner_id, name, description, target_cloud, status, version, created_at, updated_at";
    private static final String INSERT_BLUEPRINT = "INSERT INTO blueprints (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_RESOURCE =
            "INSERT INTO blueprint_resources (id, blueprint_id, type, size, count, region, position) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT_RESOURCES =
            "SELECT blueprint_id, type, size, count, region FROM blueprint_resources WHERE blueprint_id IN (%s) "
                    + "ORDER BY blueprint_id, position";

    private final Database database;
    private final String textPredicate;

    private JdbcBlueprintRepository(Database database) {
        this.database = database;
        this.textPredicate = database.vendor().equals("postgresql")
                ? "to_tsvector('simple', name) @@ plainto_tsquery('simple', ?)"
                : "LOWER(name) LIKE ? ESCAPE '\\'";
    }

    static JdbcBlueprintRepository create(Database database) {
        return new JdbcBlueprintRepository(database);
    }

    @Override
    public void insert(Blueprint b) {
        database.transaction(tx -> {
            tx.createInsert(INSERT_BLUEPRINT)
                    .params(b.id(), b.ownerId(), b.name(), b.description(), b.targetCloud(), b.status(), b.version(),
                            time(b.createdAt()), time(b.updatedAt()))
                    .execute();
            insertResources(tx, b);
            return null;
        });
    }

    @Override
    public Optional<Blueprint> find(UUID id) {
        return database.execute(exec -> exec.createGet("SELECT " + COLUMNS + " FROM blueprints WHERE id = ?")
                        .params(id)
                        .execute()
                        .map(JdbcBlueprintRepository::blueprint)
                        .map(b -> b.withResources(resources(exec, List.of(id)).getOrDefault(id, List.of()))));
    }

    @Override
    public List<Blueprint> page(BlueprintQuery query, Optional<Cursor> after, int limit, boolean includeResources) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = where(query, params);
        after.ifPresent(cursor -> {
            where.append(where.isEmpty() ? " WHERE " : " AND ").append("(created_at, id) < (?, ?)");
            params.add(time(BlueprintService.cursorTime(cursor)));
            params.add(BlueprintService.cursorId(cursor));
        });
        params.add(limit);
        String sql = "SELECT " + COLUMNS + " FROM blueprints" + where + " ORDER BY created_at DESC, id DESC LIMIT ?";
        return database.execute(exec -> {
            List<Blueprint> rows = exec.createQuery(sql).params(params).execute()
                    .map(JdbcBlueprintRepository::blueprint)
                    .toList();
            if (!includeResources || rows.isEmpty()) {
                return rows;
            }
            Map<UUID, List<BlueprintResource>> resources = resources(exec, rows.stream().map(Blueprint::id).toList());
            return rows.stream().map(b -> b.withResources(resources.getOrDefault(b.id(), List.of()))).toList();
        });
    }

    @Override
    public List<Blueprint> offsetPage(BlueprintQuery query, long offset, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = where(query, params);
        params.add(limit);
        params.add(offset);
        String sql = "SELECT " + COLUMNS + " FROM blueprints" + where + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
        return database.execute(exec -> exec.createQuery(sql).params(params).execute()
                .map(JdbcBlueprintRepository::blueprint)
                .toList());
    }

    @Override
    public long count(BlueprintQuery query) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT COUNT(*) AS n FROM blueprints" + where(query, params);
        return database.execute(exec -> exec.createGet(sql).params(params).execute()
                .map(row -> ((Number) row.column("n").get()).longValue())
                .orElse(0L));
    }

    @Override
    public boolean update(Blueprint b, long expectedVersion) {
        return database.transaction(tx -> {
            long updated = tx.createUpdate("UPDATE blueprints SET name = ?, description = ?, target_cloud = ?, status = ?, "
                                                   + "version = ?, updated_at = ? WHERE id = ? AND version = ?")
                    .params(b.name(), b.description(), b.targetCloud(), b.status(), b.version(), time(b.updatedAt()),
                            b.id(), expectedVersion)
                    .execute();
            if (updated == 0) {
                return false;
            }
            tx.createDelete("DELETE FROM blueprint_resources WHERE blueprint_id = ?").params(b.id()).execute();
            insertResources(tx, b);
            return true;
        });
    }

    @Override
    public boolean delete(UUID id) {
        return database.execute(exec -> exec.createDelete("DELETE FROM blueprints WHERE id = ?").params(id).execute()) > 0;
    }

    private StringBuilder where(BlueprintQuery query, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        query.status().ifPresent(s -> {
            conditions.add("status = ?");
            params.add(s);
        });
        query.targetCloud().ifPresent(c -> {
            conditions.add("target_cloud = ?");
            params.add(c);
        });
        query.ownerId().ifPresent(o -> {
            conditions.add("owner_id = ?");
            params.add(o);
        });
        query.text().ifPresent(t -> {
            conditions.add(textPredicate);
            params.add(textPredicate.startsWith("LOWER") ? "%" + likeLiteral(t.toLowerCase(Locale.ROOT)) + "%" : t);
        });
        return new StringBuilder(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
    }

    /** The text as a LIKE pattern matching only itself: the escape character, {@code %} and {@code _} escaped. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static void insertResources(DbExecute tx, Blueprint b) {
        int position = 0;
        for (BlueprintResource r : b.resources()) {
            tx.createInsert(INSERT_RESOURCE)
                    .params(UUID.randomUUID(), b.id(), r.type(), r.size(), r.count(), r.region(), position++)
                    .execute();
        }
    }

    private static Map<UUID, List<BlueprintResource>> resources(DbExecute exec, List<UUID> ids) {
        String placeholders = ids.stream().map(id -> "?").collect(Collectors.joining(", "));
        Map<UUID, List<BlueprintResource>> byBlueprint = new LinkedHashMap<>();
        exec.createQuery(SELECT_RESOURCES.formatted(placeholders)).params(new ArrayList<Object>(ids)).execute()
                .forEach(row -> byBlueprint.computeIfAbsent(uuid(row, "blueprint_id"), k -> new ArrayList<>())
                        .add(new BlueprintResource(row.column("type").get(String.class),
                                                   row.column("size").get(String.class),
                                                   ((Number) row.column("count").get()).intValue(),
                                                   row.column("region").get(String.class))));
        byBlueprint.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return byBlueprint;
    }

    private static Blueprint blueprint(DbRow row) {
        // get(Class) answers null for SQL NULL; get() would throw
        String description = row.column("description").get(String.class);
        return new Blueprint(uuid(row, "id"),
                             row.column("owner_id").get(String.class),
                             row.column("name").get(String.class),
                             description,
                             row.column("target_cloud").get(String.class),
                             row.column("status").get(String.class),
                             ((Number) row.column("version").get()).longValue(),
                             instant(row.column("created_at").get()),
                             instant(row.column("updated_at").get()),
                             List.of());
    }

    private static UUID uuid(DbRow row, String column) {
        Object value = row.column(column).get();
        return value instanceof UUID uuid ? uuid : UUID.fromString(value.toString());
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case OffsetDateTime odt -> odt.toInstant();
            case Timestamp ts -> ts.toInstant();
            case Instant i -> i;
            default -> throw new IllegalStateException("Unexpected timestamp type " + value.getClass().getName());
        };
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
