package io.dharma.services.cost;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.dharma.data.Database;

import io.helidon.dbclient.DbRow;

/**
 * {@link PriceTable} on the shared {@link Database}: list price × region factor, in one query per estimate.
 */
final class JdbcPriceTable implements PriceTable {
    private static final String SELECT = "SELECT p.cloud, p.resource_type, p.size, r.region, p.monthly_usd * r.factor AS unit "
            + "FROM prices p JOIN region_factors r ON r.cloud = p.cloud WHERE p.cloud IN (%s)";

    private final Database database;

    private JdbcPriceTable(Database database) {
        this.database = database;
    }

    static JdbcPriceTable create(Database database) {
        return new JdbcPriceTable(database);
    }

    @Override
    public Map<Key, BigDecimal> unitPrices(Collection<String> clouds) {
        List<String> distinct = clouds.stream().distinct().sorted().toList();
        String sql = SELECT.formatted(distinct.stream().map(c -> "?").collect(Collectors.joining(", ")));
        return database.execute(exec -> {
            Map<Key, BigDecimal> prices = new HashMap<>();
            exec.createQuery(sql).params(distinct).execute().forEach(row -> prices.put(key(row), unit(row)));
            return prices;
        });
    }

    private static Key key(DbRow row) {
        return new Key(row.column("cloud").getString(), row.column("resource_type").getString(),
                       row.column("size").getString(), row.column("region").getString());
    }

    private static BigDecimal unit(DbRow row) {
        Object value = row.column("unit").get();
        return value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
    }
}
