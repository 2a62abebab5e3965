#!/usr/bin/env bash
# Smoke check of a deployed namespace through port-forwards: readiness 200 on the management port, and an API call
# without a token answered 401 (routing, security and error mapping work).
#   scripts/deploy/smoke.sh <namespace>
set -euo pipefail

NAMESPACE="${1:?usage: smoke.sh <namespace>}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
if [ -n "${KUBE_CONFIG:-}" ]; then
    printf '%s' "$KUBE_CONFIG" >"$work/kubeconfig"
    export KUBECONFIG="$work/kubeconfig"
fi

failures=0
expect() { # expect <what> <status> <url>
    local got=""
    for _ in $(seq 1 20); do
        got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$3" || true)
        [ "$got" = "$2" ] && break
        sleep 1
    done
    if [ "$got" = "$2" ]; then echo "ok    $1"; else echo "FAIL  $1: expected $2, got $got"; failures=$((failures + 1)); fi
}

local_port=18000
for entry in blueprint-service:8080:9080 cost-service:8081:9081; do
    IFS=: read -r service api management <<<"$entry"
    kubectl -n "$NAMESPACE" port-forward "service/$service" "$local_port:$api" "$((local_port + 1)):$management" \
        >"$work/$service.log" 2>&1 &
    pids+=($!)
    expect "$service ready" 200 "http://127.0.0.1:$((local_port + 1))/health/ready"
    expect "$service API needs a token" 401 "http://127.0.0.1:$local_port/api/v1/"
    local_port=$((local_port + 2))
done
[ "$failures" -eq 0 ] || { echo "smoke check FAILED: $failures check(s)"; exit 1; }
echo "smoke check passed"
