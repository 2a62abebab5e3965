package io.dharma.data;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * DB span names follow the database semantic conventions: {@code <operation> <table>}, from the SQL text.
 */
class StatementSpansTest {
    private record Case(String sql, String operation, String table) {
    }

    @Test
    void operationAndTableComeFromTheSqlText() {
        List<Case> cases = List.of(
                new Case("SELECT id, name FROM blueprints WHERE id = ?", "SELECT", "blueprints"),
                new Case("  select count(*) as n from public.blueprint_resources", "SELECT", "public.blueprint_resources"),
                new Case("INSERT INTO blueprints (id, name) VALUES (?, ?)", "INSERT", "blueprints"),
                new Case("UPDATE \"prices\" SET amount = ? WHERE sku = ?", "UPDATE", "prices"),
                new Case("DELETE FROM blueprint_resources WHERE blueprint_id = ?", "DELETE", "blueprint_resources"),
                new Case("WITH page AS (SELECT * FROM blueprints) SELECT * FROM page", "WITH", "blueprints"),
                new Case("SELECT 1", "SELECT", null),
                new Case("123", "SQL", null));
        for (Case c : cases) {
            assertThat(c.sql(), StatementSpans.operation(c.sql()), is(c.operation()));
            assertThat(c.sql(), StatementSpans.table(c.sql()), is(Optional.ofNullable(c.table())));
        }
    }
}
