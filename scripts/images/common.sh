# Helpers of smoke.sh and startup.sh (sourced). A container runs as a cluster would run it: read-only root, /tmp a
# tmpfs, all capabilities dropped, no privilege escalation; on the host network, on ports of its own.

status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true; }

# run_container <name> <image> <api port> <management port> [podman run options...]: starts it, sets PID
run_container() {
    local name="$1" image="$2" port="$3" management="$4" p
    shift 4
    for p in "$port" "$management"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use: set PORT / MANAGEMENT_PORT" >&2; exit 2; fi
    done
    podman rm -f "$name" >/dev/null 2>&1 || true
    podman --runtime runc run -d --name "$name" --network=host --read-only --tmpfs /tmp:rw,size=32m \
        --cap-drop=ALL --security-opt no-new-privileges \
        -e SERVER_PORT="$port" -e MANAGEMENT_PORT="$management" "$@" "$image" >/dev/null
    PID=$(podman inspect -f '{{.State.Pid}}' "$name")
}

# await_ready <api port> <management port>: polls /health/ready (management port first, then the API port) every
# 10 ms; sets READY_URL and READY_MS, the time from the start of the container's JVM process (resolution 10 ms)
await_ready() {
    local url uptime started
    READY_URL=""
    for _ in $(seq 1 6000); do
        for url in "http://127.0.0.1:$2/health/ready" "http://127.0.0.1:$1/health/ready"; do
            if [ "$(status "$url")" = 200 ]; then READY_URL="$url"; break 2; fi
        done
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.01
    done
    read -r uptime _ </proc/uptime
    started=$(awk '{print $22}' "/proc/$PID/stat" 2>/dev/null || echo 0)
    READY_MS=$(awk -v u="$uptime" -v s="$started" -v t="$(getconf CLK_TCK)" 'BEGIN { printf "%d", (u - s / t) * 1000 }')
    [ -n "$READY_URL" ]
}

rss_mb() { awk '/^VmRSS:/ {printf "%d\n", $2 / 1024}' "/proc/$1/status"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
