package io.dharma.data;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.dbclient.DbClientService;
import io.helidon.dbclient.DbClientServiceContext;
import io.helidon.tracing.Span;
import io.helidon.tracing.SpanContext;
import io.helidon.tracing.Tracer;

/**
 * A client span per SQL statement, under the database semantic conventions: named {@code <operation> <table>} (e.g.
 * {@code SELECT blueprints}), tagged {@code db.system.name}, {@code db.operation.name}, {@code db.collection.name} and
 * {@code db.query.text} (the SQL with its placeholders, never the parameters). Child of the request's span; ended when
 * the statement's result is complete, failed if the statement failed. Nothing while tracing is off.
 */
final class StatementSpans implements DbClientService {
    // the table a statement is about: after FROM (SELECT, DELETE), INTO (INSERT, MERGE) or UPDATE
    private static final Pattern TABLE = Pattern.compile(
            "\\b(?:from|into|update)\\s+(\"?[A-Za-z_][A-Za-z0-9_$]*\"?(?:\\.\"?[A-Za-z_][A-Za-z0-9_$]*\"?)?)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern OPERATION = Pattern.compile("^\\s*([A-Za-z]+)");

    @Override
    public DbClientServiceContext statement(DbClientServiceContext statement) {
        Tracer tracer = Tracer.global();
        if (!tracer.enabled()) {
            return statement;
        }
        String sql = statement.statement();
        String operation = operation(sql);
        Optional<String> table = table(sql);
        Span.Builder<?> builder = tracer.spanBuilder(table.map(t -> operation + " " + t).orElse(operation))
                .kind(Span.Kind.CLIENT)
                .tag("db.system.name", statement.dbType().replaceFirst("^jdbc:", ""))
                .tag("db.operation.name", operation)
                .tag("db.query.text", sql);
        table.ifPresent(t -> builder.tag("db.collection.name", t));
        Span.current().map(Span::context)
                .or(() -> statement.context().get(SpanContext.class))
                .ifPresent(builder::parent);
        Span span = builder.start();
        statement.resultFuture().whenComplete((count, failure) -> {
            if (failure == null) {
                span.end();
            } else {
                span.end(failure);
            }
        });
        return statement;
    }

    /**
     * The statement's operation: its first keyword, upper case ({@code SELECT}, {@code INSERT}, {@code WITH} ...).
     *
     * @param sql statement text
     * @return operation, {@code SQL} when the text starts with no keyword
     */
    static String operation(String sql) {
        Matcher matcher = OPERATION.matcher(sql);
        return matcher.find() ? matcher.group(1).toUpperCase(Locale.ROOT) : "SQL";
    }

    /**
     * The first table the statement names, without quotes.
     *
     * @param sql statement text
     * @return table, empty when none is found
     */
    static Optional<String> table(String sql) {
        Matcher matcher = TABLE.matcher(sql);
        return matcher.find() ? Optional.of(matcher.group(1).replace("\"", "")) : Optional.empty();
    }
}
