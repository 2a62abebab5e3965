package io.dharma.data;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.helidon.common.mapper.MapperManager;

/**
 * Makes {@code TIMESTAMP WITH TIME ZONE} columns readable the same way on every vendor:
 * {@code row.column("created_at").get(Instant.class)} or {@code .get(OffsetDateTime.class)}.
 * <p>
 * The PostgreSQL driver returns such a column as {@link Timestamp} and H2 as {@link OffsetDateTime}, and the DbClient's
 * built-in mappers convert neither to {@link Instant} (nor a Timestamp to an OffsetDateTime). The built-in and
 * discovered mappers stay in place.
 */
final class TimeMappers {
    private TimeMappers() {
    }

    static MapperManager create() {
        return MapperManager.builder()
                .addMapper(Timestamp::toInstant, Timestamp.class, Instant.class)
                .addMapper((Timestamp t) -> t.toInstant().atOffset(ZoneOffset.UTC), Timestamp.class, OffsetDateTime.class)
                .addMapper(OffsetDateTime::toInstant, OffsetDateTime.class, Instant.class)
                .build();
    }
}
