#!/usr/bin/env bash
# Start -> ready inside the container and RSS, with the image's AOT cache and without it (-XX:AOTMode=off),
# round-robin so that machine load hits both alike. Prints each run and the medians.
#   scripts/images/startup.sh blueprint-service [runs, default 5] [image]
# Environment: PORT (default 28380), MANAGEMENT_PORT (default PORT + 1000).
set -euo pipefail
. "$(dirname "$0")/common.sh"

SERVICE="${1:?usage: startup.sh <service> [runs] [image]}"
RUNS="${2:-5}"
IMAGE="${3:-localhost/dharma/$SERVICE:latest}"
PORT="${PORT:-28380}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1000))}"
NAME="dharma-startup-$SERVICE"
FLAGS="$(podman image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | sed -n 's/^JAVA_TOOL_OPTIONS=//p')"
trap 'podman rm -f "$NAME" >/dev/null 2>&1 || true' EXIT
declare -A ready rss
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$RUNS"); do
    for variant in aot no-aot; do
        extra=""
        [ "$variant" = no-aot ] && extra=" -XX:AOTMode=off"
        run_container "$NAME" "$IMAGE" "$PORT" "$MANAGEMENT_PORT" -e JAVA_TOOL_OPTIONS="$FLAGS$extra"
        await_ready "$PORT" "$MANAGEMENT_PORT" || { podman logs "$NAME" | tail; exit 1; }
        curl -s -o /dev/null "${READY_URL%/health/ready}/metrics" || true
        mb=$(rss_mb "$PID")
        echo "run $i $variant: ready ${READY_MS} ms, RSS ${mb} MB"
        ready[$variant]+="$READY_MS "
        rss[$variant]+="$mb "
        podman rm -f "$NAME" >/dev/null
    done
done
for variant in aot no-aot; do
    echo "$variant: median ready $(tr ' ' '\n' <<<"${ready[$variant]}" | grep . | median) ms, median RSS $(tr ' ' '\n' <<<"${rss[$variant]}" | grep . | median) MB"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
