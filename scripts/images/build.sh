#!/usr/bin/env bash
# Builds a service image with the local base images of base-images.sh, the host's Maven repository mounted so the
# build does not download again. Run from anywhere, as root:
#   scripts/images/build.sh blueprint-service        -> localhost/dharma/blueprint-service:latest
# Environment: TAG, M2 (host Maven repository, default ~/.m2/repository), BUILD_IMAGE, RUNTIME_IMAGE.
set -euo pipefail
cd "$(dirname "$0")/../.."

SERVICE="${1:?usage: build.sh <service directory under services/>}"
TAG="${TAG:-localhost/dharma/$SERVICE:latest}"
M2="${M2:-$HOME/.m2/repository}"
mkdir -p "$M2"
start=$(date +%s)
podman build --network=host \
    --build-arg BUILD_IMAGE="${BUILD_IMAGE:-localhost/dharma-build:25}" \
    --build-arg RUNTIME_IMAGE="${RUNTIME_IMAGE:-localhost/dharma-runtime:12}" \
    --build-arg MAVEN_REPO=/m2 --volume "$M2:/m2" \
    -f "services/$SERVICE/Dockerfile" -t "$TAG" .
echo "built $TAG in $(( $(date +%s) - start )) s: $(podman image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.1f MB", $1 / 1000000}')"
