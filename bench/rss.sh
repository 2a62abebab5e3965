#!/usr/bin/env bash
# Resident memory of blueprint-service on embedded defaults (in-memory H2), per JVM flag set, run round-robin:
#   first   VmRSS right after the first API request (POST) has been answered
#   served  VmRSS after a burst of BURST requests (creates, gets, list pages) from 4 concurrent keep-alive clients
#   peak    VmHWM (high-water mark of the RSS) at that point
#
#   bench/rss.sh [RUNS]                         RUNS per variant, default 5
#   VARIANTS="default container" BURST=4000 bench/rss.sh 3
#   CONTAINER_FLAGS="-Xmx48m ..." bench/rss.sh  try another container setting
#
# Env: JAVA_HOME (JDK 25), JAR, PORT (18180).
source "$(dirname "$0")/common.sh"

RUNS="${1:-5}"
VARIANTS="${VARIANTS:-default container container-aot}"
BURST="${BURST:-2000}"
AOT="$WORK/app.aot"
check_archives
CONTAINER_FLAGS="${CONTAINER_FLAGS:--Xms16m -Xmx64m -Xss256k -XX:+UseSerialGC -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 -XX:MaxDirectMemorySize=16m}"

flags() {
    case "$1" in
        default) ;;
        container) echo "$CONTAINER_FLAGS" ;;
        container-aot) echo "$CONTAINER_FLAGS -XX:AOTCache=$AOT" ;;
        *) echo "unknown variant $1" >&2; exit 2 ;;
    esac
}

if [[ " $VARIANTS " == *" container-aot "* ]] && [ ! -f "$AOT" ]; then
    echo "no AOT cache at $AOT: run bench/startup.sh first (it trains one), or drop container-aot from VARIANTS" >&2
    exit 1
fi

BASE="http://127.0.0.1:$PORT/api/v1/blueprints"
BODY='{"name":"rss-bench","description":"d","targetCloud":"aws","resources":[{"type":"vm","size":"small","count":2,"region":"eu-west-1"}]}'

# One client (its own subject): BURST/4 requests over one connection, a create then reads of it and list pages.
client() {
    local id config="$WORK/rss-client-$1.cfg" n=$(( BURST / 4 / 4 )) auth="Authorization: Bearer ${TOKENS[$1]}"
    id=$(curl -s -X POST "$BASE" -H 'Content-Type: application/json' -H "$auth" -d "$BODY" \
         | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
    : >"$config"
    for ((k = 0; k < n; k++)); do
        printf 'url = "%s/%s"\noutput = "/dev/null"\n' "$BASE" "$id" >>"$config"
        printf 'url = "%s?limit=50"\noutput = "/dev/null"\n' "$BASE" >>"$config"
        printf 'url = "%s?limit=20&include=resources&status=draft"\noutput = "/dev/null"\n' "$BASE" >>"$config"
        printf 'url = "%s?page=2&limit=10&total=true"\noutput = "/dev/null"\n' "$BASE" >>"$config"
    done
    curl -s -K "$config" -H "$auth" -w '%{http_code}\n' | grep -cv '^200$' || true
}
TOKENS=()
for c in 0 1 2 3 4; do TOKENS[$c]=$(token "rss-$c"); done

echo "jar: $JAR, java: $("$JAVA" -version 2>&1 | head -n 1), burst: $BURST requests"
echo "container flags: $CONTAINER_FLAGS"
declare -A FIRST SERVED PEAK
for ((i = 1; i <= RUNS; i++)); do
    for v in $VARIANTS; do
        # shellcheck disable=SC2046
        start_service $(flags "$v")
        wait_ready 120
        code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE" -H 'Content-Type: application/json' \
                    -H "Authorization: Bearer ${TOKENS[0]}" -d "$BODY")
        [ "$code" = 201 ] || { echo "first request answered $code" >&2; exit 1; }
        first=$(rss_mb "$SVC_PID")
        failed=0
        pids=()
        for c in 1 2 3 4; do client "$c" >"$WORK/rss-client-$c.out" & pids+=($!); done
        wait "${pids[@]}"
        for c in 1 2 3 4; do failed=$(( failed + $(cat "$WORK/rss-client-$c.out") )); done
        require_service
        served=$(rss_mb "$SVC_PID")
        peak=$(awk '/^VmHWM:/ { printf "%d\n", $2 / 1024 }' "/proc/$SVC_PID/status")
        stop_service
        FIRST[$v]+="$first "; SERVED[$v]+="$served "; PEAK[$v]+="$peak "
        printf 'run %d %-14s first %4d MB  served %4d MB  peak %4d MB  non-200 %d\n' "$i" "$v" "$first" "$served" "$peak" "$failed"
    done
done

echo
printf '| %-14s | %s | %s | %s |\n' variant "RSS after first request, median (MB)" "RSS after $BURST requests, median (MB)" "peak RSS, median (MB)"
printf '|---|---:|---:|---:|\n'
for v in $VARIANTS; do
    printf '| %-14s | %s | %s | %s |\n' "$v" \
        "$(tr ' ' '\n' <<<"${FIRST[$v]}" | grep . | median)" \
        "$(tr ' ' '\n' <<<"${SERVED[$v]}" | grep . | median)" \
        "$(tr ' ' '\n' <<<"${PEAK[$v]}" | grep . | median)"
done
