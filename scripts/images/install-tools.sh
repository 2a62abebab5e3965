#!/usr/bin/env bash
# Installs what building and running the service images needs on a Debian machine without a Docker engine:
# podman, buildah and runc (containers), mmdebstrap and debootstrap (base images made from Debian packages).
# Then makes podman work on hosts with hybrid cgroups: runc as the runtime (crun fails there) and no default ulimits.
# Idempotent; run as root: scripts/images/install-tools.sh
set -euo pipefail

packages=(podman buildah runc mmdebstrap debootstrap uidmap fuse-overlayfs slirp4netns containernetworking-plugins)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

conf=/etc/containers/containers.conf
mkdir -p /etc/containers
if ! grep -q '^default_ulimits *= *\[\]' "$conf" 2>/dev/null; then
    cat >>"$conf" <<'CONF'
[containers]
# The host's hard limits cannot be raised inside a container here: start containers with none.
default_ulimits = []

[engine]
# crun fails on this kind of host (hybrid cgroups); runc works.
runtime = "runc"
CONF
fi
podman --runtime runc info --format '{{.Host.OCIRuntime.Name}} {{.Store.GraphDriverName}}'
