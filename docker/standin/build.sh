#!/bin/bash
# Local stand-ins for the official server and proxy images, for machines
# that cannot pull from a registry: Debian root filesystems made with
# debootstrap, imported into Docker, with an entrypoint that honours the
# part of the official images' interface the compose stacks use
# (docker/README).
#
#   docker/standin/build.sh [IMAGE...]   build what is missing, print the tags
#
#   mariadb         replkit-standin-mariadb:local        MariaDB 10.11 (bookworm)
#   haproxy         replkit-standin-haproxy:local        HAProxy (bookworm)
#   mariadb-11.8    replkit-standin-mariadb-11.8:local   MariaDB 11.8 (trixie)
#   mysql           replkit-standin-mysql:local          MySQL 9.7 (sid)
#
# All four without arguments.  Each root filesystem is cached as a tarball
# in $REPLKIT_CACHE/standin, keyed by the suite and the package list, so
# only the first run debootstraps; the images are rebuilt from it when they
# are missing.  Needs root, debootstrap and a reachable Debian mirror (the
# one apt uses here, or STANDIN_MIRROR).
set -eu
set -o pipefail
cd "$(dirname "$0")"

cache=${REPLKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/replkit}/standin

log() { printf 'standin: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# mirror SUITE: the mirror apt uses on this machine for SUITE, else for
# Debian at all (sid and trixie are on the same mirror as bookworm), so
# that a proxy or a local mirror set up for apt serves debootstrap too.
mirror() {
	if [ -n "${STANDIN_MIRROR:-}" ]; then
		echo "$STANDIN_MIRROR"
		return
	fi
	apt-get indextargets --format '$(REPO_URI) $(RELEASE)' \
	    'Identifier: Packages' 2>/dev/null |
	    awk -v s="$1" '
		$2 == s { print $1; found = 1; exit }
		!any && $1 !~ /security/ && $2 !~ /-/ { any = $1 }
		END { if (!found && any) print any }'
}

# make_rootfs SUITE PKGS TARBALL: debootstrap SUITE, install PKGS, and
# keep the result as TARBALL.
make_rootfs() {
	local suite=$1 pkgs=$2 tarball=$3 dir m logf
	command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
	m=$(mirror "$suite")
	[ -n "$m" ] || die "no apt source for Debian here; set STANDIN_MIRROR"
	mkdir -p "$cache"
	logf=${tarball%.tar}.log
	dir=$(mktemp -d "$cache/rootfs.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$dir'" EXIT
	log "debootstrap $suite (minbase) into $dir (log: $logf)"
	debootstrap --variant=minbase "$suite" "$dir" "$m" >"$logf" 2>&1 ||
	    { tail -20 "$logf" >&2; die "debootstrap failed (log: $logf)"; }
	# No service starts inside the chroot while packages install.
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod 755 "$dir/usr/sbin/policy-rc.d"
	log "installing $pkgs"
	# shellcheck disable=SC2086
	chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q --no-install-recommends $pkgs \
	    >>"$logf" 2>&1 ||
	    { tail -20 "$logf" >&2; die "installing $pkgs failed (log: $logf)"; }
	chroot "$dir" apt-get clean
	# An empty datadir, as in the official images: the entrypoint
	# initializes it on the first start.
	rm -rf "$dir"/var/lib/mysql/* "$dir"/var/lib/apt/lists/* \
	    "$dir/usr/sbin/policy-rc.d" "$dir"/var/log/*.log
	tar --numeric-owner -C "$dir" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
	rm -rf "$dir"
	trap - EXIT
	log "cached $tarball ($(du -h "$tarball" | cut -f1))"
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# base SUITE PKGS: the imported root filesystem of SUITE with PKGS, made
# and cached when missing; prints its tag.
base() {
	local suite=$1 pkgs=$2 key tarball tag
	key=$(printf '%s\n' "$suite" "$pkgs" "rootfs-1" | sha256sum | cut -c1-12)
	tarball=$cache/rootfs-$suite-$key.tar
	tag=replkit-standin-base:$suite-$key
	if ! have_image "$tag"; then
		mkdir -p "$cache"
		(
			# One debootstrap of a root at a time, whoever asks.
			flock 9
			[ -f "$tarball" ] || make_rootfs "$suite" "$pkgs" "$tarball"
		) 9>"$cache/.$suite-$key.lock"
		log "importing $tarball as $tag"
		docker import "$tarball" "$tag" >/dev/null
	fi
	echo "$tag"
}

# thin TAG DOCKERFILE BASE: an entrypoint and a command over a base.
# Docker's build cache makes this a no-op when nothing changed.
thin() {
	local out
	out=$(DOCKER_BUILDKIT=0 docker build -q -t "$1" --build-arg BASE="$3" \
	    -f "$2" . 2>&1) || { printf '%s\n' "$out" >&2; die "building $1 failed"; }
	echo "$1"
}

bookworm="mariadb-server mariadb-client haproxy"
[ $# -gt 0 ] || set -- mariadb haproxy mariadb-11.8 mysql
for image; do
	case $image in
	mariadb)
		b=$(base bookworm "$bookworm")
		thin "${STANDIN_SERVER_IMAGE:-replkit-standin-mariadb:local}" \
		    mariadb.Dockerfile "$b"
		;;
	haproxy)
		b=$(base bookworm "$bookworm")
		thin "${STANDIN_PROXY_IMAGE:-replkit-standin-haproxy:local}" \
		    haproxy.Dockerfile "$b"
		;;
	mariadb-11.8)
		b=$(base trixie "mariadb-server mariadb-client")
		thin replkit-standin-mariadb-11.8:local mariadb.Dockerfile "$b"
		;;
	mysql)
		b=$(base sid "mysql-server-core mysql-client-core")
		thin replkit-standin-mysql:local mysql.Dockerfile "$b"
		;;
	*) die "unknown image '$image' (mariadb, haproxy, mariadb-11.8, mysql)" ;;
	esac
done
