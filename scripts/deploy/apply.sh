#!/usr/bin/env bash
# Deploys the prod overlay to a namespace with one image tag, then waits for the rollout.
#   scripts/deploy/apply.sh <namespace> <image prefix, e.g. ghcr.io/org/dharma> <tag>
# KUBE_CONFIG (the kubeconfig's text) is used when set; otherwise kubectl's own configuration.
# DRY_RUN=1 prints the objects instead of applying them. Roll back with: kubectl -n <namespace> rollout undo deployment/<service>
set -euo pipefail
cd "$(dirname "$0")/../.."

NAMESPACE="${1:?usage: apply.sh <namespace> <image prefix> <tag>}"
PREFIX="${2:?image prefix}"
TAG="${3:?tag}"
SERVICES="${SERVICES:-blueprint-service cost-service}"

work="$(mktemp -d -p k8s/overlays .deploy-XXXXXX)"
trap 'rm -rf "$work"' EXIT
if [ -n "${KUBE_CONFIG:-}" ]; then
    printf '%s' "$KUBE_CONFIG" >"$work/kubeconfig"
    export KUBECONFIG="$work/kubeconfig"
fi
{
    echo "apiVersion: kustomize.config.k8s.io/v1beta1"
    echo "kind: Kustomization"
    echo "namespace: $NAMESPACE"
    echo "resources: [../prod]"
    echo "images:"
    for s in $SERVICES; do
        echo "  - {name: ghcr.io/dharma-io/dharma/$s, newName: $PREFIX/$s, newTag: \"$TAG\"}"
    done
} >"$work/kustomization.yaml"

kubectl kustomize "$work" >"$work/rendered.yaml"
if [ "${DRY_RUN:-0}" = 1 ]; then
    cat "$work/rendered.yaml"
    exit 0
fi
kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"
kubectl apply --server-side -f "$work/rendered.yaml"
for s in $SERVICES; do
    if ! kubectl -n "$NAMESPACE" rollout status "deployment/$s" --timeout=5m; then
        echo "rollout of $s failed: rolling back" >&2
        kubectl -n "$NAMESPACE" rollout undo "deployment/$s"
        exit 1
    fi
done
