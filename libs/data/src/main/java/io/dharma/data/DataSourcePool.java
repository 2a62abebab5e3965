package io.dharma.data;

import java.sql.Connection;
import java.sql.SQLException;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Hands the DbClient connections of the pool that Flyway and the readiness check also use. It is not a
 * {@code CloseableJdbcConnectionPool}: the {@link Database} owns and closes the pool.
 *
 * @param dataSource the pool
 * @param dbType     {@code jdbc:<vendor>}
 */
record DataSourcePool(HikariDataSource dataSource, String dbType) implements JdbcConnectionPool {
    @Override
    public Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            // a pool timeout is an SQLTransientConnectionException: DataErrors makes it a 503
            throw new DbClientException("Failed to get a database connection", e);
        }
    }

    @Override
    public String name() {
        return dataSource.getPoolName();
    }
}
