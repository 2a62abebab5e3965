package ${package};

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.dharma.data.Database;

import io.helidon.dbclient.DbRow;

/**
 * {@link ${resourceClass}Repository} on the service's {@link Database}: the same portable SQL on the embedded H2 and on
 * PostgreSQL. SQL failures are translated by the data library (a name its owner already uses: 409; database down: 503).
 */
final class Jdbc${resourceClass}Repository implements ${resourceClass}Repository {
    private static final String TABLE = "${resourcePlural}";
    private static final String COLUMNS = "id, owner_id, name, description, version, created_at, updated_at";

    private final Database database;

    private Jdbc${resourceClass}Repository(Database database) {
        this.database = database;
    }

    static Jdbc${resourceClass}Repository create(Database database) {
        return new Jdbc${resourceClass}Repository(database);
    }

    @Override
    public void insert(${resourceClass} created) {
        database.execute(exec -> exec.createInsert("INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(created.id(), created.ownerId(), created.name(), created.description(), created.version(),
                        time(created.createdAt()), time(created.updatedAt()))
                .execute());
    }

    @Override
    public Optional<${resourceClass}> find(UUID id) {
        return database.execute(exec -> exec.createGet("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?")
                .params(id)
                .execute()
                .map(Jdbc${resourceClass}Repository::row));
    }

    @Override
    public List<${resourceClass}> page(Optional<String> owner, Optional<Position> after, int limit) {
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        owner.ifPresent(id -> {
            conditions.add("owner_id = ?");
            params.add(id);
        });
        after.ifPresent(position -> {
            // row-value comparison: one index range scan on ([owner_id,] created_at DESC, id DESC), however deep the page
            conditions.add("(created_at, id) < (?, ?)");
            params.add(time(position.createdAt()));
            params.add(position.id());
        });
        params.add(limit);
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        String sql = "SELECT " + COLUMNS + " FROM " + TABLE + where + " ORDER BY created_at DESC, id DESC LIMIT ?";
        return database.execute(exec -> exec.createQuery(sql).params(params).execute()
                .map(Jdbc${resourceClass}Repository::row)
                .toList());
    }

    @Override
    public boolean update(${resourceClass} updated, long expectedVersion) {
        return database.execute(exec -> exec.createUpdate("UPDATE " + TABLE + " SET name = ?, description = ?, version = ?, "
                                                                  + "updated_at = ? WHERE id = ? AND version = ?")
                .params(updated.name(), updated.description(), updated.version(), time(updated.updatedAt()),
                        updated.id(), expectedVersion)
                .execute()) > 0;
    }

    @Override
    public boolean delete(UUID id) {
        return database.execute(exec -> exec.createDelete("DELETE FROM " + TABLE + " WHERE id = ?").params(id).execute()) > 0;
    }

    private static ${resourceClass} row(DbRow row) {
        Object id = row.column("id").get();
        // get(Class) answers null for SQL NULL; get() would throw
        String description = row.column("description").get(String.class);
        return new ${resourceClass}(id instanceof UUID uuid ? uuid : UUID.fromString(id.toString()),
                row.column("owner_id").get(String.class),
                row.column("name").get(String.class),
                description,
                ((Number) row.column("version").get()).longValue(),
                row.column("created_at").get(Instant.class),
                row.column("updated_at").get(Instant.class));
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
