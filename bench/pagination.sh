#!/usr/bin/env bash
# Keyset vs offset pagination at depth, over the HTTP API of blueprint-service on the real PostgreSQL.
#
#   bench/pagination.sh                 1,000,000 rows, 100 measured rounds
#   ROWS=200000 ROUNDS=30 bench/pagination.sh
#   KEEP=1 bench/pagination.sh          keep the schema (a rerun then skips loading); DROP_ONLY=1 drops it
#
# 1. starts the jar on PostgreSQL (DB_URL/DB_SCHEMA), which migrates schema $SCHEMA, with a known cursor secret;
#    requests carry an admin token (admins list every owner's blueprints; other users only their own);
# 2. loads bench/pagination-data.sql ($ROWS rows, VACUUM ANALYZE) unless the schema already holds $ROWS rows;
# 3. forges real cursors ~90% deep into each list with io.dharma.data.CursorCodec (same secret, same payload as the
#    service: [createdAt as Instant.toString(), id]) and picks the offset page at the same depth;
# 4. after $WARMUP rounds, runs $ROUNDS rounds of every case in shuffled order through one curl (one keep-alive
#    connection) and reports median and p95 of curl's time_total per case, plus the deep/first ratios;
# 5. prints EXPLAIN (ANALYZE, BUFFERS) of the repository's SQL shapes to $WORK/pagination-plans.txt;
# 6. drops the schema (unless KEEP=1).
#
# The service runs with server.connection-options.tcp-no-delay=true (NODELAY=false to turn off): with Nagle's
# algorithm on, every response after the first on a keep-alive connection waits ~40 ms for the client's delayed ACK,
# which would hide the database time this benchmark is about (see docs/benchmarks.md).
#
# Env: PGHOST (127.0.0.1), PGPORT (5432), PGDATABASE (test), PGUSER (postgres), SCHEMA (bench_pagination),
#      JAVA_HOME, JAR, PORT (18180), JDBC_PARAMS (appended to the JDBC URL, e.g. prepareThreshold=0).
source "$(dirname "$0")/common.sh"

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGDATABASE="${PGDATABASE:-test}" PGUSER="${PGUSER:-postgres}"
SCHEMA="${SCHEMA:-bench_pagination}"
ROWS="${ROWS:-1000000}"
ROUNDS="${ROUNDS:-100}"
WARMUP="${WARMUP:-10}"
LIMIT=50
DEPTH="${DEPTH:-0.9}"
OWNER="${OWNER:-owner-0042}"
SECRET="bench-pagination-cursor-secret-0123456789"
BASE="http://127.0.0.1:$PORT/api/v1/blueprints"
PLANS="$WORK/pagination-plans.txt"
COLUMNS="id, owner_id, name, description, target_cloud, status, version, created_at, updated_at"

sql() { psql -X -q -v ON_ERROR_STOP=1 -At -F'|' -c "SET search_path TO $SCHEMA" -c "$1"; }

if [ "${DROP_ONLY:-0}" = 1 ]; then
    psql -X -q -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
    exit 0
fi

# 1. service on PostgreSQL; its start applies the migrations to $SCHEMA
export DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE${JDBC_PARAMS:+?$JDBC_PARAMS}" DB_USER="$PGUSER" DB_SCHEMA="$SCHEMA"
export DB_PAGINATION_CURSOR_dash_SECRET="$SECRET"
export SERVER_CONNECTION_dash_OPTIONS_TCP_dash_NO_dash_DELAY="${NODELAY:-true}"
start_service -Xmx512m
wait_ready 120

# 2. data
if [ "$(sql "SELECT count(*) FROM blueprints")" != "$ROWS" ]; then
    echo "loading $ROWS rows into $SCHEMA.blueprints ..."
    t0=$(now_us)
    psql -X -q -v schema="$SCHEMA" -v rows="$ROWS" -f bench/pagination-data.sql
    echo "loaded in $(( ($(now_us) - t0) / 1000000 )) s"
fi
sql "SELECT pg_size_pretty(pg_table_size('blueprints')) || ' table, '
            || pg_size_pretty(pg_indexes_size('blueprints')) || ' indexes'"

# 3. cursors and offset pages at depth DEPTH of each list
declare -A FILTER=([all]="" [owner]="owner_id = '$OWNER'" [status]="status = 'active'" [cloud]="target_cloud = 'gcp'"
                   [text]="to_tsvector('simple', name) @@ plainto_tsquery('simple', 'web')")
declare -A PARAMS=([all]="" [owner]="ownerId=$OWNER&" [status]="status=active&" [cloud]="targetCloud=gcp&" [text]="q=web&")
LISTS="all owner status cloud text"
declare -A COUNT DEEP_ROW SECOND_ROW PAGE
row_at() {  # list, 1-based position -> "createdAt|id" of that row in list order
    sql "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), id FROM blueprints
         ${FILTER[$1]:+WHERE ${FILTER[$1]}} ORDER BY created_at DESC, id DESC OFFSET $(( $2 - 1 )) LIMIT 1"
}
for l in $LISTS; do
    COUNT[$l]=$(sql "SELECT count(*) FROM blueprints ${FILTER[$l]:+WHERE ${FILTER[$l]}}")
    skip=$(awk -v n="${COUNT[$l]}" -v d="$DEPTH" 'BEGIN { printf "%d", n * d }')
    PAGE[$l]=$(( skip / LIMIT + 1 ))
    DEEP_ROW[$l]=$(row_at "$l" "$skip")
    SECOND_ROW[$l]=$(row_at "$l" "$LIMIT")
done
cat >"$WORK/Cursors.java" <<'EOF'
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Instant;
import java.util.List;

import io.dharma.data.CursorCodec;

/** Reads "createdAt|id" lines, prints the cursor the service would issue after that row. */
public class Cursors {
    public static void main(String[] args) throws Exception {
        CursorCodec codec = CursorCodec.create(args[0]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            String[] parts = line.split("\\|");
            System.out.println(codec.encode(List.of(Instant.parse(parts[0]).toString(), parts[1])));
        }
    }
}
EOF
mapfile -t cursors < <(for l in $LISTS; do echo "${DEEP_ROW[$l]}"; echo "${SECOND_ROW[$l]}"; done \
                       | "$JAVA" -cp "$(dirname "$JAR")/libs/*" "$WORK/Cursors.java" "$SECRET")
declare -A CURSOR CURSOR2
i=0
for l in $LISTS; do CURSOR[$l]="${cursors[$i]}"; CURSOR2[$l]="${cursors[$((i + 1))]}"; i=$((i + 2)); done

# 4. the cases: name -> query string
# the SQL JdbcBlueprintRepository runs for them (keyset fetches limit + 1 rows to learn whether a next page exists)
keyset_sql() {  # list, deep row "createdAt|id" or empty
    local cond="${FILTER[$1]}" after=""
    if [ -n "$2" ]; then after="(created_at, id) < ('${2%%|*}', '${2##*|}')"; fi
    local where="${cond}${cond:+${after:+ AND }}${after}"
    echo "SELECT $COLUMNS FROM blueprints ${where:+WHERE $where} ORDER BY created_at DESC, id DESC LIMIT $((LIMIT + 1))"
}
offset_sql() {  # list, page
    echo "SELECT $COLUMNS FROM blueprints ${FILTER[$1]:+WHERE ${FILTER[$1]}} ORDER BY created_at DESC, id DESC" \
         "LIMIT $LIMIT OFFSET $(( ($2 - 1) * LIMIT ))"
}
CASES=()
declare -A QUERY SQL
add() { CASES+=("$1"); QUERY[$1]="$2"; SQL[$1]="$3"; }
for l in $LISTS; do
    p="${PARAMS[$l]}"
    add "$l keyset first" "${p}limit=$LIMIT" "$(keyset_sql "$l" "")"
    add "$l keyset page2" "${p}limit=$LIMIT&cursor=${CURSOR2[$l]}" "$(keyset_sql "$l" "${SECOND_ROW[$l]}")"
    add "$l keyset deep" "${p}limit=$LIMIT&cursor=${CURSOR[$l]}" "$(keyset_sql "$l" "${DEEP_ROW[$l]}")"
    add "$l offset first" "${p}page=1&limit=$LIMIT" "$(offset_sql "$l" 1)"
    add "$l offset deep" "${p}page=${PAGE[$l]}&limit=$LIMIT" "$(offset_sql "$l" "${PAGE[$l]}")"
done
add "all offset first+total" "page=1&limit=$LIMIT&total=true" "SELECT COUNT(*) AS n FROM blueprints"

# an admin sees every owner's blueprints (other users always get their own only)
AUTH="Authorization: Bearer $(token bench-admin admin)"
for c in "${CASES[@]}"; do
    code=$(curl -s -o "$WORK/body.json" -w '%{http_code}' -H "$AUTH" "$BASE?${QUERY[$c]}")
    n=$(grep -o '"id":' "$WORK/body.json" | wc -l)
    [ "$code" = 200 ] && [ "$n" -gt 0 ] || { echo "case '$c' answered $code with $n rows: $(head -c 300 "$WORK/body.json")" >&2; exit 1; }
done

run_rounds() {
    local rounds=$1 config="$WORK/curl.cfg" order="$WORK/order.txt"
    [ "$rounds" -gt 0 ] || return 0
    : >"$config"; : >"$order"
    for ((r = 0; r < rounds; r++)); do
        printf '%s\n' "${CASES[@]}" | shuf | while IFS= read -r c; do
            printf 'url = "%s?%s"\noutput = "/dev/null"\n' "$BASE" "${QUERY[$c]}" >>"$config"
            echo "$c" >>"$order"
        done
    done
    curl -s -K "$config" -H "$AUTH" -w '%{http_code} %{time_total}\n' | paste -d' ' - "$order"
}

echo "warm-up: $WARMUP rounds; measuring: $ROUNDS rounds x ${#CASES[@]} cases; load average $(load_average)"
run_rounds "$WARMUP" >/dev/null
run_rounds "$ROUNDS" >"$WORK/pagination-times.txt"
echo "load average after: $(load_average)"
require_service
if grep -qv '^200 ' "$WORK/pagination-times.txt"; then
    echo "non-200 answers:" >&2; grep -v '^200 ' "$WORK/pagination-times.txt" | sort | uniq -c >&2; exit 1
fi

# 5. the database's share: PostgreSQL "Execution Time" of the same SQL (median of PLAN_REPS EXPLAIN ANALYZE runs,
#    TIMING OFF), then one EXPLAIN (ANALYZE, BUFFERS) per case for the plans
PLAN_REPS="${PLAN_REPS:-15}"
declare -A DBMS
for c in "${CASES[@]}"; do
    DBMS[$c]=$(for ((r = 0; r < PLAN_REPS; r++)); do echo "EXPLAIN (ANALYZE, TIMING OFF) ${SQL[$c]};"; done \
               | psql -X -q -At -c "SET search_path TO $SCHEMA" -f - | sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p' | median)
done
{
    for c in "${CASES[@]}"; do
        echo "=== $c"
        echo "${SQL[$c]}"
        psql -X -q -At -c "SET search_path TO $SCHEMA" -c "EXPLAIN (ANALYZE, BUFFERS) ${SQL[$c]}"
        echo
    done
    # pgjdbc turns a statement into a server-side prepared one on its 5th use (prepareThreshold); PostgreSQL may then
    # switch it to a generic plan, made without the parameter values (LIMIT/OFFSET unknown, filter values unknown)
    generic() {  # title, parameter types, parameterized SQL, EXECUTE arguments
        echo "=== $1, generic plan (plan_cache_mode = force_generic_plan)"
        echo "$3"
        psql -X -q -At -c "SET search_path TO $SCHEMA" -c "SET plan_cache_mode = force_generic_plan" \
            -c "PREPARE g($2) AS $3" -c "EXPLAIN (ANALYZE, BUFFERS) EXECUTE g($4)"
        echo
    }
    order="ORDER BY created_at DESC, id DESC"
    generic "status keyset deep" "varchar, timestamptz, uuid, int" \
        "SELECT $COLUMNS FROM blueprints WHERE status = \$1 AND (created_at, id) < (\$2, \$3) $order LIMIT \$4" \
        "'active', '${DEEP_ROW[status]%%|*}', '${DEEP_ROW[status]##*|}', $((LIMIT + 1))"
    generic "cloud offset deep" "varchar, int, bigint" \
        "SELECT $COLUMNS FROM blueprints WHERE target_cloud = \$1 $order LIMIT \$2 OFFSET \$3" \
        "'gcp', $LIMIT, $(( (PAGE[cloud] - 1) * LIMIT ))"
    generic "text offset first" "text, int, bigint" \
        "SELECT $COLUMNS FROM blueprints WHERE to_tsvector('simple', name) @@ plainto_tsquery('simple', \$1) $order LIMIT \$2 OFFSET \$3" \
        "'web', $LIMIT, 0"
    generic "text keyset first" "text, int" \
        "SELECT $COLUMNS FROM blueprints WHERE to_tsvector('simple', name) @@ plainto_tsquery('simple', \$1) $order LIMIT \$2" \
        "'web', $((LIMIT + 1))"
} >"$PLANS" 2>&1

declare -A MED
echo
echo "$ROWS rows; deep = ${DEPTH} of each list; limit $LIMIT. HTTP: curl time_total per request over $ROUNDS rounds;"
echo "DB: PostgreSQL Execution Time of the same SQL, median of $PLAN_REPS runs"
printf '| %-24s | %9s | %-26s | %16s | %13s | %12s |\n' case "list rows" "position" "HTTP median (ms)" "HTTP p95 (ms)" "DB median (ms)"
printf '|---|---:|---|---:|---:|---:|\n'
for c in "${CASES[@]}"; do
    times=$(awk -v c="$c" '{ name = $0; sub(/^[0-9]+ [0-9.]+ /, "", name); if (name == c) print $2 * 1000 }' "$WORK/pagination-times.txt")
    MED[$c]=$(median <<<"$times")
    l="${c%% *}"
    case "$c" in
        *"keyset deep") pos="cursor after row $(awk -v n="${COUNT[$l]}" -v d="$DEPTH" 'BEGIN { printf "%d", n * d }')" ;;
        *"keyset page2") pos="cursor after row $LIMIT" ;;
        *"offset deep") pos="page ${PAGE[$l]} (offset $(( (PAGE[$l] - 1) * LIMIT )))" ;;
        *"+total") pos="first page + COUNT(*)" ;;
        *) pos="first page" ;;
    esac
    printf '| %-24s | %9s | %-26s | %16.2f | %13.2f | %12.2f |\n' "$c" "${COUNT[$l]}" "$pos" "${MED[$c]}" \
        "$(p95 <<<"$times")" "${DBMS[$c]}"
done
echo
printf '| %-8s | %s | %s | %s | %s | %s |\n' list "keyset deep/first HTTP" "keyset deep/page2 HTTP" "keyset deep/first DB" \
    "offset deep/first HTTP" "offset deep/first DB"
printf '|---|---:|---:|---:|---:|---:|\n'
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for l in $LISTS; do
    printf '| %-8s | %s | %s | %s | %s | %s |\n' "$l" \
        "$(ratio "${MED[$l keyset deep]}" "${MED[$l keyset first]}")" "$(ratio "${MED[$l keyset deep]}" "${MED[$l keyset page2]}")" \
        "$(ratio "${DBMS[$l keyset deep]}" "${DBMS[$l keyset first]}")" \
        "$(ratio "${MED[$l offset deep]}" "${MED[$l offset first]}")" "$(ratio "${DBMS[$l offset deep]}" "${DBMS[$l offset first]}")"
done
echo
echo "plans: $PLANS"
grep -E '^===|Index|Seq Scan|Bitmap|Sort|Rows Removed|Buffers|Execution Time' "$PLANS" | grep -v '^ *Planning' | sed 's/^/  /'

stop_service
# 6. clean up
if [ "${KEEP:-0}" != 1 ]; then
    psql -X -q -c "DROP SCHEMA $SCHEMA CASCADE"
    echo "dropped schema $SCHEMA"
fi
