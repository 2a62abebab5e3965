#!/usr/bin/env bash
# Runs a service image the way a cluster would (non-root, read-only root, /tmp writable, host network here), then:
# start -> ready inside the container, smoke checks of the probes and the API, RSS, SIGTERM and the drain.
#   scripts/images/smoke.sh blueprint-service [image]
# Environment: PORT (API port, default 28280 for blueprint-service, 28281 for cost-service: with the host network the
# container must not meet a service already listening on the defaults), MANAGEMENT_PORT (default
# PORT + 1000; the probes are looked for there first, then on PORT), API and BODY (an API call answering 200: GET, or
# POST of BODY when set; default per service).
set -euo pipefail
. "$(dirname "$0")/common.sh"

SERVICE="${1:?usage: smoke.sh <service> [image]}"
IMAGE="${2:-localhost/dharma/$SERVICE:latest}"
case "$SERVICE" in
    cost-service)
        PORT="${PORT:-28281}"; API="${API:-/api/v1/costs/estimate}"
        estimate='{"resources":[{"type":"vm","size":"small","count":1,"region":"eu-west-1","cloud":"aws"}]}'
        BODY="${BODY-$estimate}" ;;
    *) PORT="${PORT:-28280}"; API="${API:-/api/v1/blueprints?limit=5}"; BODY="${BODY-}" ;;
esac
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1000))}"
NAME="dharma-smoke-$SERVICE"
KEY=smoke-only-signing-key-0123456789abcdef
LOG="$(mktemp)"
failures=0

check() { # check <description> <expected> <actual>
    if [ "$2" = "$3" ]; then echo "ok    $1"; else echo "FAIL  $1: expected $2, got $3"; failures=$((failures + 1)); fi
}
token() {
    local b64='basenc --base64url -w0' now header claims
    now=$(date +%s)
    header=$(printf '{"alg":"HS256","typ":"JWT"}' | $b64 | tr -d '=')
    claims=$(printf '{"sub":"smoke","iat":%d,"exp":%d}' "$now" $((now + 600)) | $b64 | tr -d '=')
    printf '%s.%s.%s' "$header" "$claims" \
        "$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -hmac "$KEY" -binary | $b64 | tr -d '=')"
}

run_container "$NAME" "$IMAGE" "$PORT" "$MANAGEMENT_PORT" -e SECRET_JWT_SIGNING_KEY="$KEY"
pid="$PID"
if ! await_ready "$PORT" "$MANAGEMENT_PORT"; then
    podman logs "$NAME" | tail -20; podman rm -f "$NAME" >/dev/null; echo "FAIL  never ready"; exit 1
fi
ready_url="$READY_URL"
echo "ready at $ready_url: $READY_MS ms after the JVM process started (resolution 10 ms)"
probes="${ready_url%/ready}"
check "liveness 200" 200 "$(status "$probes/live")"
check "started 200" 200 "$(status "$probes/started")"
check "metrics 200" 200 "$(status "${probes%/health}/metrics")"
check "API without a token 401" 401 "$(status "http://127.0.0.1:$PORT/api/v1/unknown")"
if [ -n "$BODY" ]; then
    api=(-X POST -H 'Content-Type: application/json' -d "$BODY")
else
    api=()
fi
check "API with a token 200" 200 "$(status "${api[@]}" -H "Authorization: Bearer $(token)" "http://127.0.0.1:$PORT$API")"
check "runs as UID 65532" 65532 "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")"
echo "RSS after the checks: $(awk '/^VmRSS:/ {printf "%d MB", $2 / 1024}' "/proc/$pid/status")"
echo "image size: $(podman image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.1f MB", $1 / 1000000}')"

# SIGTERM: readiness turns 503 while the API still answers (the drain), then the process exits 0.
podman kill --signal TERM "$NAME" >/dev/null
sleep 0.5
check "readiness 503 while draining" 503 "$(status "$ready_url")"
check "API still served while draining" 401 "$(status "http://127.0.0.1:$PORT/api/v1/unknown")"
exit_code=$(podman wait "$NAME")
# 143 = 128 + SIGTERM: the JVM's exit status after its shutdown hooks ran on a signal
check "exit code after SIGTERM (143, or 0)" 143 "$([ "$exit_code" = 0 ] && echo 143 || echo "$exit_code")"
podman logs "$NAME" >"$LOG" 2>&1
check "drain logged" 1 "$(grep -c 'Shutting down: draining' "$LOG" | head -1)"
podman rm "$NAME" >/dev/null
[ "$failures" -eq 0 ] || { echo "smoke check FAILED: $failures check(s)"; exit 1; }
echo "smoke check passed"
