#!/bin/bash
# build/serverroot.sh FLAVOR -- a Debian root filesystem holding a server
# of FLAVOR, for the test matrix; prints its path (the only stdout line).
#
#   mariadb-10.11   the host's own mariadbd (bookworm): prints /
#   mariadb-11.8    MariaDB 11.8 LTS from trixie
#   mysql-9.7       Oracle's MySQL (9.7 LTS) from sid
#
# The newer servers need a newer glibc than bookworm's, so they run from a
# debootstrap root (t/lib/server.sh starts them with chroot, in a mount
# namespace of their own that shows the test's folder at the same path).
# The root is made once and cached in $REPLKIT_CACHE/roots, keyed by the
# suite, the package list and this script's version; later runs only print
# the path.  Needs root, debootstrap and the Debian mirror apt uses here
# (or SERVERROOT_MIRROR).
set -eu
set -o pipefail

prog=build/serverroot.sh
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
	printf 'usage: %s [--path] mariadb-10.11|mariadb-11.8|mysql-9.7\n' "$prog" >&2
	exit 2
}
path_only=
if [ "${1:-}" = --path ]; then
	path_only=1
	shift
fi
[ $# -eq 1 ] || usage
flavor=$1
case $flavor in
mariadb-10.11) echo /; exit 0 ;;
mariadb-11.8)
	suite=trixie
	pkgs="mariadb-server-core mariadb-client-core"
	;;
mysql-9.7)
	suite=sid
	pkgs="mysql-server-core mysql-client-core"
	;;
*) die "unknown flavor '$flavor' (mariadb-10.11, mariadb-11.8, mysql-9.7)" ;;
esac

cache=${REPLKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/replkit}/roots
key=$(printf '%s\n' "$suite" "$pkgs" "serverroot-1" | sha256sum | cut -c1-12)
root=$cache/$flavor-$key

if [ -n "$path_only" ] || [ -f "$root/.replkit-done" ]; then
	echo "$root"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "making the $flavor root needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"

# The mirror apt uses for Debian here, so that a proxy or local mirror set
# up for apt serves debootstrap too.
mirror=${SERVERROOT_MIRROR:-$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' \
    'Identifier: Packages' 2>/dev/null |
    awk '$1 !~ /security/ && $2 !~ /-/ { print $1; exit }')}
[ -n "$mirror" ] || die "no Debian apt source here; set SERVERROOT_MIRROR"

mkdir -p "$cache"
exec 9>"$cache/.$flavor.lock"
flock 9
if [ -f "$root/.replkit-done" ]; then
	echo "$root"
	exit 0
fi

tmp=$cache/.$flavor-$key.tmp
rm -rf "$tmp"
logf=$cache/$flavor.log
: >"$logf"
t0=$SECONDS
log "debootstrap $suite with $pkgs from $mirror (once; log: $logf)"
# shellcheck disable=SC2086
debootstrap --variant=minbase --include="${pkgs// /,}" "$suite" "$tmp" "$mirror" \
    >>"$logf" 2>&1 || { tail -20 "$logf" >&2; rm -rf "$tmp"; die "debootstrap of $suite failed"; }
# What the servers need at run time and debootstrap leaves out or in.
rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*
mkdir -p "$tmp/run/mysqld"
case $flavor in
mysql-*) [ -x "$tmp/usr/sbin/mysqld" ] || die "no mysqld in the $flavor root" ;;
mariadb-*) [ -x "$tmp/usr/sbin/mariadbd" ] || die "no mariadbd in the $flavor root" ;;
esac
touch "$tmp/.replkit-done"
rm -rf "$root"
mv "$tmp" "$root"
log "$flavor root ready in $((SECONDS - t0)) s ($(du -sh "$root" | cut -f1))"
echo "$root"
