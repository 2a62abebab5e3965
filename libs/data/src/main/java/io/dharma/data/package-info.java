/**
 * Relational data access for Dharma services: one bounded HikariCP pool shared by Helidon's {@code DbClient} and Flyway,
 * SQL failures mapped to problem responses, and keyset (cursor) and offset pagination.
 * <p>
 * Entry points: {@link io.dharma.data.Database} (created from the {@code db} config node),
 * {@link io.dharma.data.DataErrors} (the SQL translator for the errors filter), {@link io.dharma.data.PageRequest},
 * {@link io.dharma.data.CursorCodec} and {@link io.dharma.data.KeysetPage} (keyset pagination),
 * {@link io.dharma.data.OffsetPage} and {@link io.dharma.data.OffsetPage.Request} (offset pagination).
 */
@NullMarked
package io.dharma.data;

import org.jspecify.annotations.NullMarked;
