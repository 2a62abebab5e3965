#!/usr/bin/env bash
# Lean path: blueprint-service's full pipeline next to bare Helidon 4.1.2 (bench/bare-helidon, the same JSON as static
# bytes), both running side by side, the same wrk settings, rounds interleaved bare/full after a warm-up; medians.
#
#   bench/lean.sh [ROUNDS]              ROUNDS per scenario and target, default 3 (~12 min with the defaults)
#   SCENARIOS="get 401" bench/lean.sh 5 a subset; all: get list post 401 404 429 redis-get
#   bench/lean.sh --jfr get|401|...     one JFR profile of the full service under that flood (after the warm-up),
#                                       summarised by bench/jfr/JfrTop.java
#   bench/lean.sh --features [ROUNDS]   what each feature costs: GET by id on bare Helidon, the full pipeline, and the
#                                       full pipeline with one feature configured off (each variant a process of its
#                                       own on ports PORT + 100 * n, all running; rounds interleaved)
#
# Scenarios, each against both targets:
#   get        GET /api/v1/blueprints/{id} of one cached blueprint (in-process limiter with capacities no run uses up)
#   list       GET /api/v1/blueprints?limit=10 (the owner's first keyset page)
#   post       POST /api/v1/blueprints (201; the full service validates and stores it in the embedded H2)
#   401        GET by id with a well-formed token signed with another key
#   404        GET of an id that does not exist
#   429        GET by id after the IP limit (5 per 15 minutes) is used up; bare: a static 429 with the same headers
#   redis-get  GET by id with the limiter and the L2 cache on Redis (REDIS_URL, default redis://127.0.0.1:6379)
# Each group of scenarios with the same service configuration (local: get list post 401 404, limited: 429, redis:
# redis-get) runs on its own pair of processes. Before the rounds: STARTS (default 5) starts of each target alone,
# alternating: start -> ready (fork until /health/ready 200), RSS after the first request; and the runtime's size
# (jars and MB in target/libs).
#
# Env: WRK_ARGS (default "-t2 -c64 -d10s"), WARMUP seconds per scenario and target (default 10), STARTS, REDIS_URL,
# BARE_PORT (default 18190), plus JAVA_HOME, JAR, PORT, MANAGEMENT_PORT of bench/common.sh. Results per round in
# target/bench/lean.txt. Needs wrk; builds bench/bare-helidon (mvn package, MVN_FLAGS) when its jar is missing.
source "$(dirname "$0")/common.sh"

ROUNDS=3
JFR_SCENARIO=""
FEATURES=""
case "${1:-}" in
    --jfr) JFR_SCENARIO="${2:?--jfr needs a scenario}" ;;
    --features) FEATURES=yes; ROUNDS="${2:-3}" ;;
    "") ;;
    *) ROUNDS="$1" ;;
esac
SCENARIOS="${SCENARIOS:-get list post 401 404 429 redis-get}"
WRK_ARGS="${WRK_ARGS:--t2 -c64 -d10s}"
WARMUP="${WARMUP:-10}"
STARTS="${STARTS:-5}"
BENCH_REDIS="${REDIS_URL:-redis://127.0.0.1:6379}"
BARE_PORT="${BARE_PORT:-18190}"
BARE_JAR=bench/bare-helidon/target/bare-helidon.jar
OUT="$WORK/lean.txt"
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
if [ ! -f "$BARE_JAR" ]; then
    # shellcheck disable=SC2086
    mvn -B -q -f bench/bare-helidon/pom.xml package ${MVN_FLAGS:-}
fi

BODY='{"name":"bench-blueprint","description":"benchmark blueprint","targetCloud":"aws","resources":[{"type":"vm","size":"small","count":2,"region":"eu-west-1"},{"type":"bucket","size":"standard","count":1,"region":"eu-west-1"}]}'
TOKEN="$(token bench-user)"
BAD_TOKEN="$(SECRET_JWT_SIGNING_KEY=not-the-key-of-the-service-0123456789abcdef token bench-user)"
UNKNOWN=00000000-0000-4000-8000-000000000000
cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
EOF

group() {
    case "$1" in
        429) echo limited ;;
        redis-*) echo redis ;;
        *) echo local ;;
    esac
}

# Environment of the full service per group; the limited one answers 429 after 5 requests per IP.
configure() {
    unset RATE_dash_LIMIT_REDIS_URL REDIS_URL
    export RATE_dash_LIMIT_POLICIES_IP_CAPACITY=100000000 RATE_dash_LIMIT_POLICIES_IP_PERIOD=PT10000S
    case "$1" in
        limited) export RATE_dash_LIMIT_POLICIES_IP_CAPACITY=5 RATE_dash_LIMIT_POLICIES_IP_PERIOD=PT15M ;;
        redis) export RATE_dash_LIMIT_REDIS_URL="$BENCH_REDIS" REDIS_URL="$BENCH_REDIS" ;;
    esac
}

BARE_PID=""
start_bare() {
    PORT="$BARE_PORT" BARE_ID="${1:-}" BARE_TOKEN="$TOKEN" "$JAVA" -jar "$BARE_JAR" >"$WORK/lean-bare.log" 2>&1 &
    BARE_PID=$!
}
stop_bare() {
    [ -n "$BARE_PID" ] || return 0
    kill "$BARE_PID" 2>/dev/null || true
    wait "$BARE_PID" 2>/dev/null || true
    BARE_PID=""
}
trap 'stop_bare; stop_service' EXIT

# URL, curl/wrk header and expected status of scenario $1 on target $2 (bare|full); ID is the blueprint's id.
url() {
    local port=$PORT
    [ "$2" = full ] || port=$BARE_PORT
    case "$1" in
        list) echo "http://127.0.0.1:$port/api/v1/blueprints?limit=10" ;;
        post) echo "http://127.0.0.1:$port/api/v1/blueprints" ;;
        404) echo "http://127.0.0.1:$port/api/v1/blueprints/$UNKNOWN" ;;
        429) if [ "$2" = full ]; then echo "http://127.0.0.1:$port/api/v1/blueprints/$ID"; else
                 echo "http://127.0.0.1:$port/api/v1/limited/$ID"; fi ;;
        *) echo "http://127.0.0.1:$port/api/v1/blueprints/$ID" ;;
    esac
}
auth() { if [ "$1" = 401 ]; then echo "Authorization: Bearer $BAD_TOKEN"; else echo "Authorization: Bearer $TOKEN"; fi; }
expected() {
    case "$1" in
        post) echo 201 ;;
        401 | 404 | 429) echo "$1" ;;
        *) echo 200 ;;
    esac
}

# One wrk run of scenario $1 on target $2 for wrk arguments $3: "requests/s p99-ms shed-%", where requests/s counts
# the answers with the scenario's status only and shed-% is the share of 503 answers (the concurrency limit shedding,
# resilience.concurrency). Fails when an answer had another status: on the full service the statuses of the
# access-log lines written during the flood (lines dropped by the log's bounded queue are not seen), on bare Helidon
# wrk's count of non-2xx/3xx answers for 200/201 scenarios.
flood() {
    local script=() out log_from statuses shed=0
    [ "$1" != post ] || script=(-s "$WORK/post.lua")
    [ "$2" != full ] || log_from=$(stat -c %s "$SVC_LOG")
    # shellcheck disable=SC2086
    out=$(wrk $3 --latency "${script[@]}" -H "$(auth "$1")" -H 'Accept: application/json' "$(url "$1" "$2")")
    if [ "$2" = full ]; then
        statuses=$(tail -c +"$((log_from + 1))" "$SVC_LOG" | { grep -o '"status":[0-9]*' || true; } | sort | uniq -c \
                   | awk '{ sub(/"status":/, "", $2); printf "%s%s=%s", sep, $2, $1; sep = " " }')
        if [ -n "$(tr ' ' '\n' <<<"$statuses" | grep -v -e "^$(expected "$1")=" -e '^503=')" ]; then
            echo "$1 on $2: statuses in the access log during the flood: $statuses" >&2
            exit 1
        fi
        shed=$(tr ' ' '\n' <<<"$statuses" | awk -F= '{ n += $2; if ($1 == 503) s = $2 } END { printf "%.1f", n ? 100 * s / n : 0 }')
    fi
    # bare Helidon, and a full service that writes no access log: wrk's own count of unexpected answers
    if { [ "$2" != full ] || [ -z "$statuses" ]; } && grep -q 'Non-2xx or 3xx responses' <<<"$out" \
            && [ "$(expected "$1")" -lt 300 ]; then
        echo "$1 on $2: $(grep 'Non-2xx' <<<"$out")" >&2
        exit 1
    fi
    awk -v shed="$shed" '/^Requests\/sec:/ { rps = $2 }
         $1 == "99%" { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
                       p99 = unit == "us" ? v / 1000 : unit == "s" ? v * 1000 : unit == "m" ? v * 60000 : v }
         END { printf "%.0f %.2f %s\n", rps * (1 - shed / 100), p99, shed }' <<<"$out"
}

# The status scenario $1 answers on target $2 right now (one curl request).
answer() {
    local data=()
    [ "$1" != post ] || data=(-X POST -H 'Content-Type: application/json' -d "$BODY")
    curl -s -o /dev/null -w '%{http_code}' "${data[@]}" -H "$(auth "$1")" "$(url "$1" "$2")"
}
check_answer() {
    local code
    code=$(answer "$1" "$2")
    [ "$code" = "$(expected "$1")" ] || { echo "$1 on $2 answered $code, not $(expected "$1")" >&2; exit 1; }
}

# Start both targets for group $1 (full first, then bare with the blueprint's id); sets ID.
start_pair() {
    configure "$1"
    start_service
    wait_ready 120
    local created
    created=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/blueprints" -H "$(auth get)" \
                   -H 'Content-Type: application/json' -d "$BODY")
    ID=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$created")
    [ -n "$ID" ] || { echo "POST gave no id: $created" >&2; exit 1; }
    start_bare "$ID"
    wait_for_200 /health/ready 60 "$BARE_PID" "$BARE_PORT"
    if [ "$1" = limited ]; then
        for _ in 1 2 3 4 5 6; do answer 429 full >/dev/null; done
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

if [ -n "$JFR_SCENARIO" ]; then
    start_pair "$(group "$JFR_SCENARIO")"
    check_answer "$JFR_SCENARIO" full
    flood "$JFR_SCENARIO" full "-t2 -c64 -d${WARMUP}s" >/dev/null
    jfr_file="$WORK/lean-$JFR_SCENARIO.jfr"
    # the profile settings with Java methods sampled every millisecond (instead of 20 ms): enough samples in one flood
    "$JAVA_HOME/bin/jfr" configure --input profile method-profiling=max --output "$WORK/lean.jfc" >/dev/null
    "$JAVA_HOME/bin/jcmd" "$SVC_PID" JFR.start name=lean settings="$WORK/lean.jfc" filename="$jfr_file" >/dev/null
    profiled=$(flood "$JFR_SCENARIO" full "$WRK_ARGS")
    echo "$JFR_SCENARIO, full, profiled: $profiled (requests/s, p99 ms, shed %)"
    "$JAVA_HOME/bin/jcmd" "$SVC_PID" JFR.stop name=lean >/dev/null
    "$JAVA_HOME/bin/jfr" summary "$jfr_file" | grep -E 'jdk.ExecutionSample |Duration' || true
    "$JAVA" bench/jfr/JfrTop.java "$jfr_file"
    exit 0
fi

echo "java: $("$JAVA" -version 2>&1 | head -n 1); wrk $WRK_ARGS; warm-up ${WARMUP}s; load average $(load_average)"

if [ -n "$FEATURES" ]; then
    # name|environment of the full service; each switch is the feature's documented configuration key
    variants=(
        "all features on|"
        "access log off|SERVICE_ACCESS_dash_LOG_ENABLED=false"
        "log redaction off|LOGGING_REDACTION_ENABLED=false"
        "rate limits off|RATE_dash_LIMIT_ENABLED=false"
        "request validation off|OPENAPI_VALIDATE_dash_REQUESTS=false"
        "security headers off|SECURITY_HEADERS_ENABLED=false"
        "concurrency limit off|RESILIENCE_CONCURRENCY_ENABLED=false"
        "all six off|SERVICE_ACCESS_dash_LOG_ENABLED=false LOGGING_REDACTION_ENABLED=false RATE_dash_LIMIT_ENABLED=false OPENAPI_VALIDATE_dash_REQUESTS=false SECURITY_HEADERS_ENABLED=false RESILIENCE_CONCURRENCY_ENABLED=false"
    )
    configure local
    base_port=$PORT
    pids=() ids=() ports=() logs=()
    for i in "${!variants[@]}"; do
        port=$((base_port + 100 * (i + 1)))
        log="$WORK/lean-feature-$i.log"
        # shellcheck disable=SC2046,SC2086
        env ${variants[$i]#*|} SERVER_PORT="$port" MANAGEMENT_PORT="$((port + 1))" SERVICE_DRAIN_dash_DELAY=PT0S \
            SERVICE_GRACE_dash_PERIOD=PT2S "$JAVA" -jar "$JAR" >"$log" 2>&1 &
        pids[i]=$!
        wait_for_200 /health/ready 120 "${pids[$i]}" "$((port + 1))"
        created=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/blueprints" -H "$(auth get)" \
                       -H 'Content-Type: application/json' -d "$BODY")
        ids[i]=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$created")
        [ -n "${ids[$i]}" ] || { echo "${variants[$i]%%|*}: POST gave no id: $created" >&2; exit 1; }
        ports[i]=$port
        logs[i]=$log
    done
    trap 'stop_bare; kill "${pids[@]}" 2>/dev/null || true' EXIT
    ID=${ids[0]}
    start_bare "$ID"
    wait_for_200 /health/ready 60 "$BARE_PID" "$BARE_PORT"
    # one variant as "the full service" of flood/check_answer
    use() { PORT=${ports[$1]}; ID=${ids[$1]}; SVC_LOG=${logs[$1]}; SVC_PID=${pids[$1]}; }
    ID=${ids[0]}
    check_answer get bare
    flood get bare "-t2 -c64 -d${WARMUP}s" >/dev/null
    for i in "${!variants[@]}"; do
        use "$i"
        check_answer get full
        flood get full "-t2 -c64 -d${WARMUP}s" >/dev/null
    done
    out="$WORK/lean-features.txt"
    : >"$out"
    for ((r = 1; r <= ROUNDS; r++)); do
        ID=${ids[0]}
        echo "$r bare $(flood get bare "$WRK_ARGS")" | tee -a "$out"
        for i in "${!variants[@]}"; do
            use "$i"
            line=$(flood get full "$WRK_ARGS")
            check_answer get full
            require_service
            echo "$r v$i $line" | tee -a "$out"
        done
    done
    echo "load average after: $(load_average)"
    fmed() { awk -v t="$1" -v f="$2" '$2 == t { print $f }' "$out" | median; }
    echo
    echo "| GET by id | req/s | / bare | / all on | p99 (ms) |"
    echo "|---|---:|---:|---:|---:|"
    echo "| bare Helidon | $(fmed bare 3) | 1.00 | | $(fmed bare 4) |"
    for i in "${!variants[@]}"; do
        echo "| ${variants[$i]%%|*} | $(fmed "v$i" 3) | $(ratio "$(fmed "v$i" 3)" "$(fmed bare 3)") |" \
             "$(ratio "$(fmed "v$i" 3)" "$(fmed v0 3)") | $(fmed "v$i" 4) |"
    done
    exit 0
fi

# 1. start -> ready and RSS after the first request, each target alone, alternating
: >"$WORK/lean-start.txt"
configure local
for ((i = 1; i <= STARTS; i++)); do
    t0=$(now_us)
    start_bare
    wait_for_200 /health/ready 60 "$BARE_PID" "$BARE_PORT"
    ready=$(( ($(now_us) - t0) / 1000 ))
    answer post bare >/dev/null
    echo "bare $ready $(rss_mb "$BARE_PID")" >>"$WORK/lean-start.txt"
    stop_bare
    t0=$(now_us)
    start_service
    wait_ready 120
    ready=$(( ($(now_us) - t0) / 1000 ))
    answer post full >/dev/null
    echo "full $ready $(rss_mb "$SVC_PID")" >>"$WORK/lean-start.txt"
    stop_service
done

# 2. throughput: per group one pair of processes; warm-up, then ROUNDS rounds of every scenario, bare then full
: >"$OUT"
for g in local limited redis; do
    mine=()
    for s in $SCENARIOS; do [ "$(group "$s")" != "$g" ] || mine+=("$s"); done
    [ "${#mine[@]}" -gt 0 ] || continue
    start_pair "$g"
    for s in "${mine[@]}"; do
        for target in bare full; do
            check_answer "$s" "$target"
            flood "$s" "$target" "-t2 -c64 -d${WARMUP}s" >/dev/null
        done
    done
    for ((r = 1; r <= ROUNDS; r++)); do
        for s in "${mine[@]}"; do
            for target in bare full; do
                line=$(flood "$s" "$target" "$WRK_ARGS")
                check_answer "$s" "$target"
                require_service
                echo "$r $s $target $line" | tee -a "$OUT"
            done
        done
    done
    stop_bare
    stop_service
done
echo "load average after: $(load_average)"

# 3. summary
libs() { local dir="$(dirname "$1")/libs"; echo "$(ls "$dir" | wc -l) jars, $(du -sm "$dir" | cut -f1) MB"; }
med() { awk -v s="$1" -v t="$2" -v f="$3" '$2 == s && $3 == t { print $f }' "$OUT" | median; }
start_med() { awk -v t="$1" -v f="$2" '$1 == t { print $f }' "$WORK/lean-start.txt" | median; }
echo
echo "| scenario | bare req/s | full req/s | full/bare | bare p99 (ms) | full p99 (ms) | p99 full/bare | full shed (503) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for s in $SCENARIOS; do
    br=$(med "$s" bare 4); fr=$(med "$s" full 4); bp=$(med "$s" bare 5); fp=$(med "$s" full 5); fs=$(med "$s" full 6)
    echo "| $s | $br | $fr | **$(ratio "$fr" "$br")** | $bp | $fp | $(ratio "$fp" "$bp") | $fs % |"
done
echo
echo "| | bare Helidon | blueprint-service | full/bare |"
echo "|---|---:|---:|---:|"
echo "| start -> ready, median of $STARTS (ms) | $(start_med bare 2) | $(start_med full 2) | $(ratio "$(start_med full 2)" "$(start_med bare 2)") |"
echo "| RSS after the first request, median (MB) | $(start_med bare 3) | $(start_med full 3) | $(ratio "$(start_med full 3)" "$(start_med bare 3)") |"
echo "| runtime (target/libs) | $(libs "$BARE_JAR") | $(libs "$JAR") | |"
