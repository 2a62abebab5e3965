#!/usr/bin/env bash
# GET /api/v1/blueprints/{id} throughput of blueprint-service with the rate limiter off, in process (the default) and
# on Redis, ROUNDS rounds interleaved; 16 virtual threads, 10 s after 3 s of warm-up, one token (one user bucket).
# Usage: bench/ratelimit/http.sh [rounds]   (REDIS_URL, default redis://127.0.0.1:6379; see docs/benchmarks.md, 7)
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
ROUNDS="${1:-3}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
TOKEN="$(token bench-user)"
HTTP_BENCH=bench/ratelimit/src/main/java/io/dharma/bench/ratelimit/HttpBench.java
: >"$WORK/ratelimit-http.txt"
for round in $(seq "$ROUNDS"); do
    for variant in off in-process redis; do
        case "$variant" in
            off) export RATE_dash_LIMIT_ENABLED=false; unset RATE_dash_LIMIT_REDIS_URL ;;
            in-process) export RATE_dash_LIMIT_ENABLED=true; unset RATE_dash_LIMIT_REDIS_URL ;;
            redis) export RATE_dash_LIMIT_ENABLED=true; export RATE_dash_LIMIT_REDIS_URL="$REDIS_URL" ;;
        esac
        start_service
        wait_ready 60
        location=$(curl -s -o /dev/null -w '%header{location}' -X POST "http://127.0.0.1:$PORT/api/v1/blueprints" \
            -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
            -d '{"name":"rl-bench","description":"rate-limit bench","targetCloud":"aws","resources":[{"type":"vm","size":"small","count":2,"region":"eu-west-1"}]}')
        [ -n "$location" ] || { echo "POST gave no Location" >&2; exit 1; }
        case "$location" in http*) url="$location" ;; *) url="http://127.0.0.1:$PORT$location" ;; esac
        line=$("$JAVA" "$HTTP_BENCH" "$url" "$TOKEN" 16 10 3)
        echo "round $round $variant $line" | tee -a "$WORK/ratelimit-http.txt"
        stop_service
    done
done
echo "variant: median requests/s, median p99 ms, non-200 (requests/s p50 p99 non-200 per run in $WORK/ratelimit-http.txt)"
for variant in off in-process redis; do
    rps=$(awk -v v="$variant" '$3 == v { print $4 }' "$WORK/ratelimit-http.txt" | median)
    p99=$(awk -v v="$variant" '$3 == v { print $6 }' "$WORK/ratelimit-http.txt" | median)
    errs=$(awk -v v="$variant" '$3 == v { s += $7 } END { print s + 0 }' "$WORK/ratelimit-http.txt")
    echo "$variant: $rps req/s, p99 $p99 ms, non-200 $errs"
done
