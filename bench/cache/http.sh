#!/usr/bin/env bash
# GET /api/v1/blueprints/{id} of blueprint-service on PostgreSQL with the cache off, on in process (L1) and on with
# Redis (L1 + L2), ROUNDS rounds interleaved; one client thread (latency, not throughput), 10 s after 3 s of warm-up.
# Also reads the service's cache counters and the table scans PostgreSQL counted for the run's schema.
# Usage: bench/cache/http.sh [rounds]   (PG_URL default jdbc:postgresql://127.0.0.1:5432/test as postgres;
#        REDIS default redis://127.0.0.1:6379; see docs/benchmarks.md, section 8)
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
ROUNDS="${1:-3}"
THREADS="${THREADS:-1}"
PG_URL="${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
REDIS="${REDIS:-redis://127.0.0.1:6379}"
TOKEN="$(token bench-user)"
HTTP_BENCH=bench/ratelimit/src/main/java/io/dharma/bench/ratelimit/HttpBench.java
OUT="$WORK/cache-http.txt"
: >"$OUT"
export DB_URL="$PG_URL" DB_USER="${PG_USER:-postgres}"
scans() { psql -h 127.0.0.1 -U "$DB_USER" -d test -Atc \
    "SELECT COALESCE(SUM(seq_scan + COALESCE(idx_scan, 0)), 0) FROM pg_stat_user_tables WHERE schemaname = '$DB_SCHEMA'"; }
for round in $(seq "$ROUNDS"); do
    for variant in off l1 redis; do
        export DB_SCHEMA="bench_cache_$(date +%s%N | tail -c 9)"
        case "$variant" in
            off) export CACHE_ENABLED=false; unset REDIS_URL ;;
            l1) export CACHE_ENABLED=true; unset REDIS_URL ;;
            redis) export CACHE_ENABLED=true; export REDIS_URL="$REDIS" ;;
        esac
        start_service
        wait_ready 60
        location=$(curl -s -o /dev/null -w '%header{location}' -X POST "http://127.0.0.1:$PORT/api/v1/blueprints" \
            -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
            -d '{"name":"cache-bench","description":"cache bench","targetCloud":"aws","resources":[{"type":"vm","size":"small","count":2,"region":"eu-west-1"},{"type":"bucket","size":"small","count":1,"region":"eu-west-1"}]}')
        [ -n "$location" ] || { echo "POST gave no Location" >&2; exit 1; }
        before=$(scans)
        line=$("$JAVA" "$HTTP_BENCH" "http://127.0.0.1:$PORT$location" "$TOKEN" "$THREADS" 10 3)
        after=$(scans)
        metrics=$(curl -s "$(management_url)/metrics")
        hits=$(awk '/^cache_hits_total\{.*cache="blueprints"/ { s += $2 } END { print s + 0 }' <<<"$metrics")
        # mean time of a load (the repository's two queries) in microseconds
        load_us=$(awk '/^cache_load_time_seconds_sum\{.*cache="blueprints"/ { s = $2 }
                       /^cache_load_time_seconds_count\{.*cache="blueprints"/ { n = $2 }
                       END { if (n > 0) printf "%.0f", s / n * 1e6; else print 0 }' <<<"$metrics")
        echo "round $round $variant $line scans $((after - before)) hits $hits load_us $load_us" | tee -a "$OUT"
        stop_service
        psql -h 127.0.0.1 -U "$DB_USER" -d test -qc "SET client_min_messages = warning; DROP SCHEMA $DB_SCHEMA CASCADE" >/dev/null
    done
done
echo "variant: median requests/s, median p50 ms, median p99 ms, table scans per request over warm-up and run (per run in $OUT)"
for variant in off l1 redis; do
    rps=$(awk -v v="$variant" '$3 == v { print $4 }' "$OUT" | median)
    p50=$(awk -v v="$variant" '$3 == v { print $5 }' "$OUT" | median)
    p99=$(awk -v v="$variant" '$3 == v { print $6 }' "$OUT" | median)
    spr=$(awk -v v="$variant" '$3 == v { printf "%.3f\n", $9 / ($4 * 13) }' "$OUT" | median)
    load=$(awk -v v="$variant" '$3 == v { print $13 }' "$OUT" | median)
    echo "$variant: $rps req/s, p50 $p50 ms, p99 $p99 ms, scans/request $spr, mean load $load us"
done
