#!/usr/bin/env bash
# A Debian sid root with CPython 3.14 and 3.15, for the test suite and the benchmarks on machines
# (Debian bookworm here) that have no packages for them. Needs root (debootstrap, chroot, mounts).
#
#   bash scripts/sid-root.sh ensure          build the root unless a complete one exists
#   bash scripts/sid-root.sh run CMD ARGS... run CMD in the root, as root, with this clone and the
#                                            host's Rust toolchain (~/.cargo, ~/.rustup) mounted
#                                            at their host paths, so the same paths work inside
#   bash scripts/sid-root.sh path            print the root's directory
#
# The root lives in $SLOTKIT_SID_ROOT (default /var/cache/slotkit/sid-root), outside the clone, so
# a warm machine reuses it. It is built in "$root.partial" and renamed into place only when
# complete, with a marker file inside; a half-built root left by a killed run is deleted and built
# again. A lock file serializes concurrent builds.
#
# `run` makes its mounts (/proc, /dev, /etc/resolv.conf, the clone, ~/.cargo, ~/.rustup) inside a
# private mount namespace (unshare): they are never visible to the host, and vanish when the
# command ends even if it is killed; an EXIT trap unmounts them as well. The command gets a clean
# environment (HOME, PATH with cargo, the CA bundle for pip and cargo) plus the SLOTKIT_*
# variables of the caller.
#
# Two traps of the sid mirror, handled here: apt-get update needs Check-Valid-Until=false (the
# mirror's sid Release file is older than its validity window), and the root must trust the extra
# CA certificates the host trusts locally, or pip and cargo fail TLS verification.
set -euo pipefail

root=${SLOTKIT_SID_ROOT:-/var/cache/slotkit/sid-root}
marker=.slotkit-sid-root-complete
clone=$(cd "$(dirname "$0")/.." && pwd)
packages="python3.14 python3.14-dev python3.14-venv python3.15 python3.15-dev python3.15-venv
    gcc libc6-dev ca-certificates nodejs"
apt_opts=(-o Acquire::Check-Valid-Until=false -o APT::Install-Recommends=false -o Dpkg::Use-Pty=0)

die() { echo "sid-root: $*" >&2; exit 1; }

host_mirror() {
    # The mirror this machine's apt already uses (deb822 or one-line format).
    local uri
    uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
    [ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n1 || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

in_root() {
    # Runs a command in a directory being built ($1), with /proc and /dev mounted privately.
    local dir=$1; shift
    unshare --mount --propagation private bash -c '
        set -e; dir=$1; shift
        mount -t proc proc "$dir/proc"; mount --rbind /dev "$dir/dev"
        cp /etc/resolv.conf "$dir/etc/resolv.conf"
        trap "umount -R \"$dir/dev\" 2>/dev/null || true; umount \"$dir/proc\" 2>/dev/null || true" EXIT
        env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
            chroot "$dir" "$@"' in_root "$dir" "$@"
}

build() {
    local partial="$root.partial" mirror start=$SECONDS
    command -v debootstrap >/dev/null || { echo "sid-root: installing debootstrap"; apt-get install -y -qq debootstrap >/dev/null; }
    # Never delete a directory something is mounted under (belt and braces: mounts are private).
    if grep -qs " $root" /proc/mounts; then die "something is mounted under $root; refusing to rebuild"; fi
    rm -rf "$partial" "$root"
    mirror=$(host_mirror)
    echo "sid-root: debootstrap sid from $mirror into $partial"
    debootstrap --variant=minbase sid "$partial" "$mirror" >"$partial.log" 2>&1 \
        || { tail -n 20 "$partial.log" >&2; die "debootstrap failed (full log: $partial.log)"; }
    # The host's locally trusted CA certificates (TLS-intercepting proxies), trusted in the root too.
    mkdir -p "$partial/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$partial/usr/local/share/ca-certificates/" 2>/dev/null || true
    echo "sid-root: apt-get install $(echo $packages)"
    in_root "$partial" apt-get "${apt_opts[@]}" -qq update >>"$partial.log" 2>&1 \
        || { tail -n 20 "$partial.log" >&2; die "apt-get update failed (log: $partial.log)"; }
    # shellcheck disable=SC2086
    in_root "$partial" apt-get "${apt_opts[@]}" -qq -y install $packages >>"$partial.log" 2>&1 \
        || { tail -n 20 "$partial.log" >&2; die "apt-get install failed (log: $partial.log)"; }
    in_root "$partial" update-ca-certificates >>"$partial.log" 2>&1
    in_root "$partial" apt-get clean
    in_root "$partial" sh -c 'python3.14 -VV && python3.15 -VV' >"$partial/$marker"
    date -u +"built %Y-%m-%dT%H:%M:%SZ from $mirror in $((SECONDS - start)) s" >>"$partial/$marker"
    mv "$partial" "$root"
    rm -f "$partial.log"
    echo "sid-root: ready in $((SECONDS - start)) s: $(head -n2 "$root/$marker" | tr '\n' ' ')"
}

ensure() {
    [ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mounts)"
    [ -f "$root/$marker" ] && return 0
    mkdir -p "$(dirname "$root")"
    exec 9>"$root.lock"
    flock 9
    [ -f "$root/$marker" ] || build
    exec 9>&-
}

run() {
    ensure
    [ $# -gt 0 ] || die "run: no command"
    local home=${HOME:-/root}
    local cargo_home=${CARGO_HOME:-$home/.cargo} rustup_home=${RUSTUP_HOME:-$home/.rustup}
    local passed=() name
    for name in $(compgen -e | grep '^SLOTKIT_' || true); do passed+=("$name=${!name}"); done
    exec unshare --mount --propagation private bash -c '
        set -e
        root=$1 clone=$2 cargo_home=$3 rustup_home=$4; shift 4
        cleanup() { for m in "$clone" "$rustup_home" "$cargo_home" /dev /proc; do umount -R "$root$m" 2>/dev/null || true; done; }
        trap cleanup EXIT
        mount -t proc proc "$root/proc"
        mount --rbind /dev "$root/dev"
        mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
        for d in "$clone" "$cargo_home" "$rustup_home"; do
            [ -d "$d" ] || continue
            mkdir -p "$root$d"; mount --bind "$d" "$root$d"
        done
        n=$1; shift
        passed=("${@:1:$n}"); shift "$n"
        cd "$root$clone"
        env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
            PATH="$cargo_home/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" \
            CARGO_HOME="$cargo_home" RUSTUP_HOME="$rustup_home" \
            SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
            PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 \
            "${passed[@]}" chroot "$root" sh -c "cd \"\$0\" && exec \"\$@\"" "$clone" "$@"
        ' sid-root "$root" "$clone" "$cargo_home" "$rustup_home" "${#passed[@]}" "${passed[@]}" "$@"
}

case "${1:-}" in
    ensure) ensure ;;
    run) shift; run "$@" ;;
    path) echo "$root" ;;
    *) die "usage: sid-root.sh ensure | run CMD ARGS... | path" ;;
esac
