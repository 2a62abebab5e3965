#!/usr/bin/env bash
# Overload: blueprint-service (embedded defaults) with the concurrency limit off and on, side by side, under the Gatling
# read mix (loadtest/ BlueprintReadMixSimulation, open model) at multiples of its capacity; runs interleaved off/on.
#
#   bench/overload.sh [ROUNDS]          ROUNDS of every multiple, default 1 (~1.5 min per multiple and round)
#
# Steps: both services start (off: RESILIENCE_CONCURRENCY_ENABLED=false on $PORT, on: defaults on $PORT+2); a warm-up
# run against each; the capacity is the OK throughput of the limiter-on service under CALIBRATE_RPS (default 3000)
# offered (unless CAPACITY is given); then for each multiple in MULTIPLES (default "0.5 1 1.5 2 3") and round, one run
# against the service without the limit, one against the service with it. Each run: RAMP (default 5) + DURATION
# (default 20) seconds. Reported per run: offered rps, OK rps (Gatling's mean throughput of OK answers, ramp included),
# p50 / p99 of OK answers, share of KO answers (503 OVERLOADED, 503 of the database permit, client timeouts), the
# limit's shed count (resilience_concurrency_shed_total), the load average. Results in target/bench/overload.txt.
#
# SVC_CPU_QUOTA (microseconds of CPU per SVC_CPU_PERIOD, default 100000 µs; e.g. 50000: half a CPU, as a pod with
# limits.cpu 500m; needs root and the cgroup v1 cpu controller) gives each service a CPU quota of its own, so that the service, not the load generator
# on the same machine, runs out of CPU first; SVC_CPUS / GATLING_CPUS (taskset CPU lists) pin them instead.
# Env: MULTIPLES, CAPACITY, CALIBRATE_RPS, RAMP, DURATION, CONNECTIONS (Gatling's pool, default 64), MVN_FLAGS, plus
# JAVA_HOME, JAR, PORT, MANAGEMENT_PORT of bench/common.sh. Builds loadtest/ (test-compile and its class path) once.
source "$(dirname "$0")/common.sh"

ROUNDS="${1:-1}"
MULTIPLES="${MULTIPLES:-0.5 1 1.5 2 3}"
CALIBRATE_RPS="${CALIBRATE_RPS:-3000}"
RAMP="${RAMP:-5}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-64}"
OUT="$WORK/overload.txt"
CP_FILE="$WORK/gatling.cp"
if [ ! -f "$CP_FILE" ] || [ ! -d loadtest/target/test-classes ]; then
    # shellcheck disable=SC2086
    mvn -B -q -f loadtest/pom.xml test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/$CP_FILE" \
        -Dmdep.includeScope=test ${MVN_FLAGS:-}
fi
cat >"$WORK/gatling-logback.xml" <<'EOF'
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%msg%n</pattern></encoder></appender>
  <root level="WARN"><appender-ref ref="out"/></root>
</configuration>
EOF

OFF_PORT="$PORT"
ON_PORT=$(( PORT + 2 ))
start_variant() { # name port [env...]
    local name="$1" port="$2"
    shift 2
    env "$@" SERVER_PORT="$port" MANAGEMENT_PORT=$(( port + 1 )) SERVICE_DRAIN_dash_DELAY=PT0S \
        ${SVC_CPUS:+taskset -c "$SVC_CPUS"} "$JAVA" -jar "$JAR" >"$WORK/overload-$name.log" 2>&1 &
    echo $!
}
# a CPU quota of its own, as a container's CPU limit (cgroup v1 cpu controller), once it is ready
limit_cpu() { # name pid
    local group="/sys/fs/cgroup/cpu/dharma-overload-$1"
    mkdir -p "$group"
    echo "${SVC_CPU_PERIOD:-100000}" >"$group/cpu.cfs_period_us"
    echo "$SVC_CPU_QUOTA" >"$group/cpu.cfs_quota_us"
    echo "$2" >"$group/cgroup.procs"
}
OFF_PID=$(start_variant off "$OFF_PORT" RESILIENCE_CONCURRENCY_ENABLED=false)
ON_PID=$(start_variant on "$ON_PORT")
trap 'kill "$OFF_PID" "$ON_PID" 2>/dev/null; wait "$OFF_PID" "$ON_PID" 2>/dev/null
      rmdir /sys/fs/cgroup/cpu/dharma-overload-off /sys/fs/cgroup/cpu/dharma-overload-on 2>/dev/null || true' EXIT
wait_for_200 /health/ready 90 "$OFF_PID" $(( OFF_PORT + 1 ))
wait_for_200 /health/ready 90 "$ON_PID" $(( ON_PORT + 1 ))
if [ -n "${SVC_CPU_QUOTA:-}" ]; then
    limit_cpu off "$OFF_PID"
    limit_cpu on "$ON_PID"
fi

shed_count() { # management port
    curl -s "http://127.0.0.1:$1/metrics" | awk '/^resilience_concurrency_shed_total/ { print int($2) } END { }' | tail -n 1
}

# One Gatling run: port rps ramp duration; prints "ok_rps p50 p99 ko_percent total"
gatling() {
    local log="$WORK/overload-gatling.log"
    ${GATLING_CPUS:+taskset -c "$GATLING_CPUS"} "$JAVA" --add-opens=java.base/java.lang=ALL-UNNAMED -Dlogback.configurationFile="$WORK/gatling-logback.xml" \
        -cp "loadtest/target/test-classes:$(cat "$CP_FILE")" -DbaseUrl="http://127.0.0.1:$1" -Drps="$2" -Dramp="$3" \
        -Dduration="$4" -Dconnections="$CONNECTIONS" -DsigningKey="$SECRET_JWT_SIGNING_KEY" -DkoPercent=100 -Dp99Ms=600000 \
        io.gatling.app.Gatling -s io.dharma.loadtest.BlueprintReadMixSimulation -rf "$WORK/gatling" >"$log" 2>&1 || true
    awk -F'|' '
        !/^> /                       { next }
        /request count/              { gsub(/[ ,-]/, "", $2); gsub(/[ ,-]/, "", $4); total = $2; ko = ($4 == "" ? 0 : $4) }
        /50th percentile/            { gsub(/[ ,]/, "", $3); p50 = $3 }
        /99th percentile/            { gsub(/[ ,]/, "", $3); p99 = $3 }
        /mean throughput/            { gsub(/[ ,]/, "", $3); ok = $3 }
        END { printf "%s %s %s %.1f %s\n", ok, p50, p99, (total ? 100 * ko / total : 0), total }' "$log"
}

echo "# bench/overload.sh $(date -u +%FT%TZ) rounds=$ROUNDS multiples=$MULTIPLES ramp=$RAMP duration=$DURATION connections=$CONNECTIONS" | tee "$OUT"
echo "# warm-up (250 rps, 15 s each): off $(gatling "$OFF_PORT" 250 3 12), on $(gatling "$ON_PORT" 250 3 12)" | tee -a "$OUT"
if [ -z "${CAPACITY:-}" ]; then
    calibration=$(gatling "$ON_PORT" "$CALIBRATE_RPS" "$RAMP" "$DURATION")
    CAPACITY=$(echo "$calibration" | awk '{ printf "%d", $1 }')
    echo "# capacity: $CAPACITY rps served by the limiter-on service under $CALIBRATE_RPS rps offered ($calibration)" | tee -a "$OUT"
fi
echo "# multiple offered_rps variant ok_rps p50_ms p99_ms ko_percent requests shed load_average" | tee -a "$OUT"
for round in $(seq 1 "$ROUNDS"); do
    for multiple in $MULTIPLES; do
        rps=$(awk -v c="$CAPACITY" -v m="$multiple" 'BEGIN { printf "%d", c * m }')
        for variant in off on; do
            if [ "$variant" = off ]; then port="$OFF_PORT"; else port="$ON_PORT"; fi
            for pid in "$OFF_PID" "$ON_PID"; do
                kill -0 "$pid" 2>/dev/null || { echo "service $pid is gone (see $WORK/overload-*.log)" >&2; exit 1; }
            done
            before=$(shed_count $(( port + 1 )))
            result=$(gatling "$port" "$rps" "$RAMP" "$DURATION")
            after=$(shed_count $(( port + 1 )))
            echo "$multiple $rps $variant $result $(( ${after:-0} - ${before:-0} )) $(load_average | tr ' ' '/')" | tee -a "$OUT"
        done
    done
done
