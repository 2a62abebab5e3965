# Shared helpers of the bench/*.sh scripts; sourced, not run. See docs/benchmarks.md.
# shellcheck shell=bash

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JAR="${JAR:-services/blueprint-service/target/blueprint-service.jar}"
PORT="${PORT:-18180}"
WORK="${WORK:-target/bench}"
mkdir -p "$WORK"

[ -x "$JAVA" ] || { echo "no java at $JAVA: set JAVA_HOME to a JDK 25" >&2; exit 1; }
java_major=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')
[ "${java_major:-0}" -ge 25 ] || { echo "$JAVA is Java $java_major: the scripts need JDK 25 (AOT cache flags)" >&2; exit 1; }
[ -f "$JAR" ] || { echo "no $JAR: build first (mvn -B -q install -DskipTests)" >&2; exit 1; }

# Microseconds since the epoch, without a fork.
now_us() { local t="$EPOCHREALTIME"; echo "${t/./}"; }

# Status code of GET http://127.0.0.1:$2$1 ($2 defaults to $PORT) over bash's /dev/tcp (no fork, so polling steals
# little CPU from the JVM being measured); empty when nothing listens there.
http_status() {
    local line=""
    { exec 3<>"/dev/tcp/127.0.0.1/${2:-$PORT}"; } 2>/dev/null || return 0
    printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&3
    read -r -t 2 line <&3 || true
    exec 3<&- 3>&-
    line="${line#HTTP/1.1 }"
    echo "${line%% *}"
}

# Sleep without a fork: read with a timeout on a pipe nobody writes to.
exec {NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$NAP_FD" _ || true; }

# Wait until GET $1 answers 200 on one of the ports $4... (default $PORT); fails after $2 seconds (default 60) or
# when process $3 dies.
wait_for_200() {
    local path="$1" deadline=$(( $(now_us) + ${2:-60} * 1000000 )) pid="${3:-}" port
    shift 3 2>/dev/null || shift $#
    local ports=("${@:-$PORT}")
    while true; do
        for port in "${ports[@]}"; do
            [ "$(http_status "$path" "$port")" != 200 ] || return 0
        done
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            [ "$pid" != "${SVC_PID:-}" ] || require_service
            echo "process $pid is gone" >&2; return 1
        fi
        [ "$(now_us)" -lt "$deadline" ] || { echo "timeout waiting for $path" >&2; return 1; }
        nap 0.005
    done
}

# The service answers /health/* and /metrics on its management port (management.port) when it has one, on the API
# port otherwise: the scripts give it MANAGEMENT_PORT and look there first.
export MANAGEMENT_PORT="${MANAGEMENT_PORT:-$(( PORT + 1 ))}"

# Wait until the service started by start_service is ready; $1 seconds (default 60).
# Probes and /metrics are served on the management port only (a probe sent to the API port is an unauthenticated
# request there: it would spend the client address's rate-limit bucket).
wait_ready() { wait_for_200 /health/ready "${1:-60}" "$SVC_PID" "$MANAGEMENT_PORT"; }

# Base URL of /metrics and /health.
management_url() {
    echo "http://127.0.0.1:$MANAGEMENT_PORT"
}

# Every API route needs a bearer token: the service verifies HS256 tokens with this key, and token() signs them.
export SECRET_JWT_SIGNING_KEY="${SECRET_JWT_SIGNING_KEY:-dharma-bench-jwt-signing-key-0123456789}"
# The rate limiter stays in the pipeline, deciding every request, with limits no benchmark reaches: a burst of 100
# million per IP and per user, refilled at the finest rate a policy allows (one per 100 µs). The defaults, 100
# requests per 15 minutes per IP, would answer 429 within a second of any benchmark from one machine; even a million
# per 15 minutes is used up by a minute of a flood, after which a benchmark measures 429 answers.
export RATE_dash_LIMIT_POLICIES_IP_CAPACITY="${RATE_dash_LIMIT_POLICIES_IP_CAPACITY:-100000000}"
export RATE_dash_LIMIT_POLICIES_IP_PERIOD="${RATE_dash_LIMIT_POLICIES_IP_PERIOD:-PT10000S}"
export RATE_dash_LIMIT_POLICIES_USER_CAPACITY="${RATE_dash_LIMIT_POLICIES_USER_CAPACITY:-100000000}"
export RATE_dash_LIMIT_POLICIES_USER_PERIOD="${RATE_dash_LIMIT_POLICIES_USER_PERIOD:-PT10000S}"

# An HS256 token for subject $1 (with role $2 if given), valid for 2 hours.
token() {
    cat >"$WORK/Token.java" <<'EOF_JAVA'
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Prints an HS256 JWT: args subject [role]; key from SECRET_JWT_SIGNING_KEY. */
public class Token {
    public static void main(String[] args) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String claims = "{\"sub\":\"" + args[0] + "\",\"iat\":" + now + ",\"exp\":" + (now + 7200)
                + (args.length > 1 ? ",\"roles\":[\"" + args[1] + "\"]" : "") + "}";
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(System.getenv("SECRET_JWT_SIGNING_KEY").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        System.out.println(input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII))));
    }
}
EOF_JAVA
    "$JAVA" "$WORK/Token.java" "$@"
}

# Start the jar in the background with JVM flags "$@" (env of the caller applies); sets SVC_PID.
# Its log goes to $SVC_LOG (default $WORK/<script>-svc.log).
SVC_LOG="${SVC_LOG:-$WORK/$(basename "$0" .sh)-svc.log}"
start_service() {
    SERVER_PORT="$PORT" SERVICE_DRAIN_dash_DELAY=PT0S SERVICE_GRACE_dash_PERIOD=PT2S \
        "$JAVA" "$@" -jar "$JAR" >"$SVC_LOG" 2>&1 &
    SVC_PID=$!
}

# Fail loudly when the service is gone (something else ended it, or it crashed): exit status and the log's tail.
require_service() {
    if ! kill -0 "$SVC_PID" 2>/dev/null; then
        local status=0
        wait "$SVC_PID" 2>/dev/null || status=$?
        echo "the service (pid $SVC_PID) is gone, exit status $status; last lines of $SVC_LOG:" >&2
        grep -av '"logger":"access"' "$SVC_LOG" | tail -n 5 | cut -c 1-300 >&2
        SVC_PID=""
        exit 1
    fi
}

# SIGTERM the service and wait until it has exited.
stop_service() {
    [ -n "${SVC_PID:-}" ] || return 0
    require_service
    kill "$SVC_PID" 2>/dev/null || true
    wait "$SVC_PID" 2>/dev/null || true
    SVC_PID=""
}
trap 'stop_service' EXIT

# CPU time (user + system, ms) a process has used so far.
cpu_ms() {
    local stat ticks
    read -r stat <"/proc/$1/stat"
    stat="${stat##*) }"
    # after the command name: state is field 1, utime field 12, stime field 13
    set -- $stat
    ticks=$(( ${12} + ${13} ))
    echo $(( ticks * 1000 / $(getconf CLK_TCK) ))
}

# Resident set size of a process in MB (VmRSS).
rss_mb() { awk '/^VmRSS:/ { printf "%d\n", $2 / 1024 }' "/proc/$1/status"; }

# median / p95 / min / max of the numbers on stdin, one per line.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
p95() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else { i = int(NR * 0.95 + 0.999); if (i > NR) i = NR; print v[i] } }'; }
minimum() { sort -n | head -n 1; }
maximum() { sort -n | tail -n 1; }

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# The AppCDS archive and AOT cache in $WORK are only valid for the jar they were trained with: drop them when the
# jar (path, size, time) changed since.
check_archives() {
    local stamp
    stamp="$(stat -c '%n %s %Y' "$JAR")"
    if [ "$(cat "$WORK/archives.stamp" 2>/dev/null)" != "$stamp" ]; then
        rm -f "$WORK/app.aot" "$WORK/app-cds.jsa"
        echo "$stamp" >"$WORK/archives.stamp"
    fi
}
