#!/usr/bin/env bash
# JVM start -> ready: wall time from fork until GET /health/ready answers 200 (polled every 5 ms), on embedded
# defaults (in-memory H2, Flyway migrations at startup), for several JVM flag sets run round-robin so that machine
# noise hits all of them alike. Also reports the CPU time the JVM used until ready and the service's own
# "started ... in N ms" log line (measured from DharmaService.start(), i.e. without JVM boot and class loading of main).
#
#   bench/startup.sh [RUNS]            RUNS per variant, default 7
#   VARIANTS="default aot" bench/startup.sh 5
#   bench/startup.sh --phases [VARIANT]  one run (default variant: default): log lines and classes loaded per
#                                        library, as offsets from fork
#
# Env: JAVA_HOME (JDK 25), JAR (default services/blueprint-service/target/blueprint-service.jar), PORT (18180).
# The AppCDS archive and the AOT cache are trained first (start, a few API calls, SIGTERM) into target/bench/.
source "$(dirname "$0")/common.sh"

RUNS="${1:-7}"
VARIANTS="${VARIANTS:-default serialgc c1 appcds aot aot-serial-c1}"
JSA="$WORK/app-cds.jsa"
AOT="$WORK/app.aot"
check_archives

flags() {
    case "$1" in
        default) ;;
        serialgc) echo "-XX:+UseSerialGC" ;;
        c1) echo "-XX:TieredStopAtLevel=1" ;;
        noshare) echo "-Xshare:off" ;;
        appcds) echo "-XX:SharedArchiveFile=$JSA -XX:+AutoCreateSharedArchive" ;;
        aot) echo "-XX:AOTCache=$AOT" ;;
        aot-serial-c1) echo "-XX:AOTCache=$AOT -XX:+UseSerialGC -XX:TieredStopAtLevel=1" ;;
        appcds-serial-c1) echo "-XX:SharedArchiveFile=$JSA -XX:+AutoCreateSharedArchive -XX:+UseSerialGC -XX:TieredStopAtLevel=1" ;;
        *) echo "unknown variant $1" >&2; exit 2 ;;
    esac
}

# A training run: start with "$@", exercise the API, exit cleanly (archives are written at JVM exit).
train() {
    start_service "$@"
    wait_ready 120
    local base="http://127.0.0.1:$PORT/api/v1/blueprints" id auth
    auth="Authorization: Bearer $(token bench)"
    id=$(curl -s -X POST "$base" -H 'Content-Type: application/json' -H "$auth" \
              -d '{"name":"training","description":"d","targetCloud":"aws","resources":[{"type":"vm","size":"s","count":1,"region":"r"}]}' \
         | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
    curl -s -o /dev/null -H "$auth" "$base/$id"
    curl -s -o /dev/null -H "$auth" "$base?limit=5&include=resources"
    curl -s -o /dev/null -H "$auth" "$base?page=1&limit=5&total=true"
    curl -s -o /dev/null "$(management_url)/metrics"
    stop_service
}

phases() {
    local t0 line ts
    t0=$(now_us)
    # shellcheck disable=SC2046
    start_service $(flags "$1") -Xlog:class+load:file="$WORK/classes.txt":uptime
    wait_ready 120
    echo "ready after $(( ($(now_us) - t0) / 1000 )) ms"
    stop_service
    echo "--- log lines (ms after fork) ---"
    grep -v '"logger":"access"' "$SVC_LOG" | while IFS= read -r line; do
        ts=$(sed -n 's/^{"timestamp":"\([^"]*\)".*/\1/p' <<<"$line")
        [ -n "$ts" ] || continue
        printf '%6d ms  %s\n' $(( ($(date -d "$ts" +%s%6N) - t0) / 1000 )) \
            "$(sed -n 's/.*"message":"\([^"]\{0,110\}\).*/\1/p' <<<"$line")"
        grep -q 'started on' <<<"$line" && break
    done
    echo "--- classes loaded until ready, by source (JVM uptime of first and last load, ms) ---"
    awk -v jar="$(basename "$JAR")" '{
            t = substr($1, 2, length($1) - 3) * 1000; src = $0; sub(/.*source: /, "", src)
            if (src ~ /shared objects file/) src = "CDS/AOT archive"
            else if (src ~ /^jrt:\//) src = substr(src, 6)
            else if (src ~ /\/libs\//) { sub(/.*\/libs\//, "", src); sub(/!.*/, "", src); sub(/-[0-9][^\/]*\.jar$/, "", src) }
            else if (index(src, jar)) src = "application jar"
            else src = "generated (lambdas, proxies)"
            n[src]++; if (!(src in first)) first[src] = t; last[src] = t; total++
        }
        END {
            for (s in n) printf "%6d %7.0f %7.0f  %s\n", n[s], first[s], last[s], s
            printf "%6d total\n", total
        }' "$WORK/classes.txt" | sort -rn | head -n 25
}

train_if_needed() {
    case "$1" in
        appcds*) [ -f "$JSA" ] || { echo "training AppCDS archive $JSA"; train $(flags appcds); } ;;
        aot*) [ -f "$AOT" ] || { echo "training AOT cache $AOT"; train -XX:AOTCacheOutput="$AOT"; } ;;
    esac
}

if [ "$RUNS" = "--phases" ]; then
    train_if_needed "${2:-default}"
    echo "variant ${2:-default}: $(flags "${2:-default}")"
    phases "${2:-default}"
    exit 0
fi

for v in $VARIANTS; do
    train_if_needed "$v"
done

echo "jar: $JAR ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), java: $("$JAVA" -version 2>&1 | head -n 1)"
echo "runs per variant: $RUNS, load average before: $(load_average)"
declare -A READY CPU STARTED
for ((i = 1; i <= RUNS; i++)); do
    for v in $VARIANTS; do
        t0=$(now_us)
        # shellcheck disable=SC2046
        start_service $(flags "$v")
        wait_ready 120
        ready=$(( ($(now_us) - t0) / 1000 ))
        cpu=$(cpu_ms "$SVC_PID")
        started=$(sed -n 's/.*started on [^ ]* in \([0-9]*\) ms.*/\1/p' "$SVC_LOG" | head -n 1)
        stop_service
        READY[$v]+="$ready "
        CPU[$v]+="$cpu "
        STARTED[$v]+="${started:-0} "
        printf 'run %d %-16s ready %5d ms  cpu %5d ms  "started in" %5s ms\n' "$i" "$v" "$ready" "$cpu" "${started:--}"
    done
done
echo "load average after: $(load_average)"

base=$(tr ' ' '\n' <<<"${READY[default]:-}" | grep . | median || true)
echo
printf '| %-16s | %s | %s | %s | %s | %s |\n' variant "ready median (ms)" "min-max (ms)" "vs default" "CPU to ready median (ms)" '"started in" median (ms)'
printf '|---|---:|---:|---:|---:|---:|\n'
for v in $VARIANTS; do
    r=$(tr ' ' '\n' <<<"${READY[$v]}" | grep . | median)
    lo=$(tr ' ' '\n' <<<"${READY[$v]}" | grep . | minimum)
    hi=$(tr ' ' '\n' <<<"${READY[$v]}" | grep . | maximum)
    c=$(tr ' ' '\n' <<<"${CPU[$v]}" | grep . | median)
    s=$(tr ' ' '\n' <<<"${STARTED[$v]}" | grep . | median)
    ratio=$([ -n "$base" ] && awk -v a="$r" -v b="$base" 'BEGIN { printf "%.2f", a / b }' || echo -)
    printf '| %-16s | %s | %s-%s | %s | %s | %s |\n' "$v $(flags "$v" | sed "s|$WORK/||g")" "$r" "$lo" "$hi" "$ratio" "$c" "$s"
done
