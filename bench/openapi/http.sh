#!/usr/bin/env bash
# Throughput of a POST with the OpenAPI request validation off and on (and, with VARIANTS="off on responses", with
# response validation too), ROUNDS rounds interleaved; 16 virtual threads, one token, measured for 10 s after WARMUP
# seconds (default 40) of the same load: the JIT needs that long on 2 shared cores before the service's cost per
# request settles (after 3 s it is still 4-6 times the steady value). Also the service's CPU time per request over the
# 10 s (from /proc, so the client's share of the cores does not blur it).
# TARGET=blueprint (default): POST /api/v1/blueprints (create: validated body, one insert of the blueprint and its 2
# resources in the embedded H2). TARGET=cost: POST /api/v1/costs/estimate of cost-service (3 resources priced).
# Usage: bench/openapi/http.sh [rounds]   (TARGET, VARIANTS, WARMUP; see docs/benchmarks.md)
TARGET="${TARGET:-blueprint}"
if [ "$TARGET" = cost ]; then
    JAR="${JAR:-services/cost-service/target/cost-service.jar}"
fi
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
ROUNDS="${1:-3}"
VARIANTS="${VARIANTS:-off on}"
WARMUP="${WARMUP:-40}"
TOKEN="$(token bench-user)"
HTTP_BENCH=bench/ratelimit/src/main/java/io/dharma/bench/ratelimit/HttpBench.java
BODY="$WORK/openapi-$TARGET-body.json"
case "$TARGET" in
    blueprint)
        path=/api/v1/blueprints
        echo '{"name":"openapi-bench","description":"validated create","targetCloud":"aws","status":"active","resources":[{"type":"vm","size":"small","count":2,"region":"eu-west-1"},{"type":"database","size":"medium","count":1,"region":"eu-west-1"}]}' >"$BODY" ;;
    cost)
        path=/api/v1/costs/estimate
        echo '{"resources":[{"type":"vm","size":"medium","count":3,"region":"eu-west-1","cloud":"aws"},{"type":"database","size":"large","count":1,"region":"us-central1","cloud":"gcp"},{"type":"bucket","size":"small","count":2,"region":"westeurope","cloud":"azure"}]}' >"$BODY" ;;
    *) echo "TARGET is blueprint or cost" >&2; exit 1 ;;
esac
RESULTS="$WORK/openapi-$TARGET-http.txt"
: >"$RESULTS"
for round in $(seq "$ROUNDS"); do
    for variant in $VARIANTS; do
        case "$variant" in
            off) export OPENAPI_VALIDATE_dash_REQUESTS=false OPENAPI_VALIDATE_dash_RESPONSES=false ;;
            on) export OPENAPI_VALIDATE_dash_REQUESTS=true OPENAPI_VALIDATE_dash_RESPONSES=false ;;
            responses) export OPENAPI_VALIDATE_dash_REQUESTS=true OPENAPI_VALIDATE_dash_RESPONSES=true ;;
            *) echo "unknown variant $variant (off, on, responses)" >&2; exit 1 ;;
        esac
        start_service
        wait_ready 60
        status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT$path" \
            -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary "@$BODY")
        case "$status" in 2*) ;; *) echo "POST $path answered $status" >&2; exit 1 ;; esac
        "$JAVA" "$HTTP_BENCH" "http://127.0.0.1:$PORT$path" "$TOKEN" 16 "$WARMUP" 0 "$BODY" >/dev/null   # warm-up
        cpu_before=$(cpu_ms "$SVC_PID")
        line=$("$JAVA" "$HTTP_BENCH" "http://127.0.0.1:$PORT$path" "$TOKEN" 16 10 0 "$BODY")
        cpu=$(( $(cpu_ms "$SVC_PID") - cpu_before ))
        # the service's own CPU per request (user + system), which the client's share of the 2 cores does not blur
        us_per_request=$(awk -v c="$cpu" -v r="${line%% *}" 'BEGIN { if (r > 0) printf "%.0f", c * 1000 / (r * 10); else print 0 }')
        echo "round $round $variant $line $us_per_request" | tee -a "$RESULTS"
        stop_service
    done
done
echo "variant: median requests/s, median p99 ms, non-2xx, ratio to off, service CPU per request"
echo "(per run in $RESULTS: requests/s, p50 ms, p99 ms, non-2xx, service CPU µs per request)"
off=$(awk '$3 == "off" { print $4 }' "$RESULTS" | median)
for variant in $VARIANTS; do
    rps=$(awk -v v="$variant" '$3 == v { print $4 }' "$RESULTS" | median)
    p99=$(awk -v v="$variant" '$3 == v { print $6 }' "$RESULTS" | median)
    errs=$(awk -v v="$variant" '$3 == v { s += $7 } END { print s + 0 }' "$RESULTS")
    cpu=$(awk -v v="$variant" '$3 == v { print $8 }' "$RESULTS" | median)
    ratio=$(awk -v a="$rps" -v b="$off" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    echo "$variant: $rps req/s, p99 $p99 ms, non-2xx $errs, $ratio x off, $cpu µs CPU per request"
done
# per round, validated / off: the pairs ran back to back, so they share the machine's load of the moment
awk '$3 == "off" { off[$2] = $4 } $3 == "on" { on[$2] = $4 }
     END { for (r in off) if (r in on) printf "round %s on/off %.2f\n", r, on[r] / off[r] }' "$RESULTS" | sort
