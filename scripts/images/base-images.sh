#!/usr/bin/env bash
# Makes the two base images of the service Dockerfiles from Debian packages and the installed JDK, for machines
# that reach no image registry. Run as root after install-tools.sh: scripts/images/base-images.sh
#
#   localhost/dharma-build:25     Debian bookworm minbase + Maven + curl + the JDK 25 at /opt/java/openjdk
#                                 (stands in for maven:3.9-eclipse-temurin-25)
#   localhost/dharma-runtime:12   glibc, CA certificates, time zones, /etc/passwd with nonroot (65532), /tmp;
#                                 no shell, no package manager (stands in for gcr.io/distroless/base-debian12:nonroot)
#
# Environment: JDK (default /usr/lib/jvm/temurin-25-jdk-amd64), MIRROR (default http://deb.debian.org/debian),
# SUITE (default bookworm), FORCE=1 to rebuild images that exist.
set -euo pipefail

JDK="${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SUITE="${SUITE:-bookworm}"
BUILD_TAG="${BUILD_TAG:-localhost/dharma-build:25}"
RUNTIME_TAG="${RUNTIME_TAG:-localhost/dharma-runtime:12}"
WORK="$(mktemp -d /var/tmp/dharma-base.XXXXXX)"
cleanup() {
    # mmdebstrap can leave the host's /proc mounted in a tree when a maintainer script left a process behind
    for m in $(awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r); do umount -l "$m" || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$JDK/bin/jlink" ] || { echo "no JDK with jlink at $JDK (set JDK=...)" >&2; exit 1; }

exists() { [ "${FORCE:-0}" != 1 ] && podman image exists "$1"; }

debian() { # debian <dir> <packages...>: a minbase tree with the given packages, no recommends
    local dir="$1"; shift
    mmdebstrap --variant=minbase --aptopt='APT::Install-Recommends "false"' --include="$(IFS=,; echo "$*")" \
        "$SUITE" "$dir" "$MIRROR"
    for m in $(awk -v d="$dir" '$2 ~ "^"d {print $2}' /proc/mounts | sort -r); do umount -l "$m"; done
}

tree() { # tree <dir>: the tree as a tar stream, without the pseudo file systems' contents
    tar -C "$1" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -c .
}

if exists "$BUILD_TAG"; then
    echo "$BUILD_TAG exists"
else
    debian "$WORK/build" maven curl ca-certificates
    mkdir -p "$WORK/build/opt/java"
    cp -a "$(readlink -f "$JDK")" "$WORK/build/opt/java/openjdk"
    tree "$WORK/build" | podman import \
        --change 'ENV JAVA_HOME=/opt/java/openjdk' \
        --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["/bin/bash"]' - "$BUILD_TAG"
fi

if exists "$RUNTIME_TAG"; then
    echo "$RUNTIME_TAG exists"
else
    debian "$WORK/full" ca-certificates tzdata netbase
    root="$WORK/runtime"
    mkdir -p "$root"
    # The merged-/usr links first (bin -> usr/bin, lib -> usr/lib, ...), so package paths resolve through them.
    (cd "$WORK/full" && cp -a --parents ./bin ./lib ./lib64 ./sbin "$root/")
    # Only the files of these packages (libc6 is all a jlink runtime links against), then the links and files made
    # by their maintainer scripts.
    for pkg in base-files libc6 tzdata netbase; do
        chroot "$WORK/full" dpkg -L "$pkg" | while read -r f; do
            { [ -e "$WORK/full$f" ] && [ ! -d "$WORK/full$f" ]; } || [ -L "$WORK/full$f" ] || continue
            [ -L "$WORK/full$f" ] && [ -d "$WORK/full$f" ] && continue   # a directory link, e.g. /lib64
            # the canonical directory (/lib64/x is /usr/lib64/x), so that cp never meets a link as a parent
            dir="$(realpath --relative-to="$WORK/full" "$(dirname "$WORK/full$f")")"
            (cd "$WORK/full" && cp -a --parents "./$dir/${f##*/}" "$root/")
        done
    done
    (cd "$WORK/full" && cp -a --parents ./etc/ssl/certs/ca-certificates.crt "$root/")
    mkdir -p "$root/tmp" "$root/home/nonroot" "$root/etc"
    chmod 1777 "$root/tmp"
    chown 65532:65532 "$root/home/nonroot"
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' \
        >"$root/etc/passwd"
    printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
    ln -sf /usr/share/zoneinfo/Etc/UTC "$root/etc/localtime"
    tree "$root" | podman import \
        --change 'USER 65532:65532' --change 'WORKDIR /home/nonroot' \
        --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' - "$RUNTIME_TAG"
fi
podman images --filter reference='localhost/dharma-*'
