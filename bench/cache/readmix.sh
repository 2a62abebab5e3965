#!/usr/bin/env bash
# The Gatling blueprint mix with 5 read rounds per user (create, 5 x (get, conditional get, 2-3 list pages), update,
# sometimes delete) against blueprint-service on PostgreSQL, cache off and on: table scans PostgreSQL counted in the
# run's schema per API request, and the service's cache hits and loads.
# Usage: bench/cache/readmix.sh [rate users/s, default 10] [duration s, default 20]   (see docs/benchmarks.md, section 8)
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
RATE="${1:-10}"
DURATION="${2:-20}"
OUT="$WORK/cache-readmix.txt"
: >"$OUT"
export DB_URL="${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}" DB_USER="${PG_USER:-postgres}"
scans() { psql -h 127.0.0.1 -U "$DB_USER" -d test -Atc \
    "SELECT COALESCE(SUM(seq_scan + COALESCE(idx_scan, 0)), 0) FROM pg_stat_user_tables WHERE schemaname = '$DB_SCHEMA'"; }
metric() { awk -v name="$1" -v cache="$2" 'index($0, name "{") == 1 && index($0, "cache=\"" cache "\"") { s += $2 } END { print s + 0 }' <<<"$3"; }
for variant in off on; do
    export DB_SCHEMA="bench_readmix_$(date +%s%N | tail -c 9)"
    if [ "$variant" = off ]; then export CACHE_ENABLED=false; else export CACHE_ENABLED=true; fi
    start_service
    wait_ready 60
    before=$(scans)
    mvn -q -f loadtest/pom.xml gatling:test -DbaseUrl="http://127.0.0.1:$PORT" -Drate="$RATE" -Dduration="$DURATION" \
        -Dreads=5 -Dp99Ms=2000 >"$WORK/cache-readmix-gatling-$variant.log" 2>&1 || echo "gatling assertions failed ($variant)"
    after=$(scans)
    metrics=$(curl -s "$(management_url)/metrics")
    requests=$(awk 'index($0, "http_server_requests_seconds_count{") == 1 && index($0, "uri=\"/api/") { s += $2 } END { print s + 0 }' <<<"$metrics")
    hits=$(( $(metric cache_hits_total blueprints "$metrics") + $(metric cache_hits_total blueprint-pages "$metrics") ))
    loads=$(( $(metric cache_loads_total blueprints "$metrics") + $(metric cache_loads_total blueprint-pages "$metrics") ))
    echo "$variant requests $requests scans $((after - before)) hits $hits loads $loads" | tee -a "$OUT"
    stop_service
    psql -h 127.0.0.1 -U "$DB_USER" -d test -qc "SET client_min_messages = warning; DROP SCHEMA $DB_SCHEMA CASCADE" >/dev/null
done
awk '{ printf "%s: %d API requests, %d table scans (%.2f per request), cache hits %d, loads %d\n", $1, $3, $5, $5 / $3, $7, $9 }' "$OUT"
